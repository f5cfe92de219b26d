package org.screening.outreach.ivr.twiml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.screening.outreach.ivr.Instruction;

class TwimlRendererTest {

    @Test
    void speakThenGatherWithThePromptInside() {
        String xml = TwimlRenderer.forScriptLanguage("zh-CN").render(List.of(
                new Instruction.Speak("没有听到按键。", "x"),
                new Instruction.Gather(List.of(new Instruction.Speak("是，请按1", null)), 1, 8, "#")),
                "/webhooks/twilio/voice/42");
        assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Say language=\"cmn-CN\" voice=\"Polly.Zhiyu\">没有听到按键。</Say>"
                + "<Gather action=\"/webhooks/twilio/voice/42\" actionOnEmptyResult=\"true\" finishOnKey=\"#\""
                + " input=\"dtmf\" method=\"POST\" numDigits=\"1\" timeout=\"8\">"
                + "<Say language=\"cmn-CN\" voice=\"Polly.Zhiyu\">是，请按1</Say></Gather></Response>");
    }

    @Test
    void closingWordsThenHangup() {
        String xml = TwimlRenderer.forScriptLanguage("en").render(List.of(
                new Instruction.Speak("Thank you & goodbye <3", null), new Instruction.Hangup()), "/unused");
        assertThat(xml).endsWith("<Response><Say language=\"en-US\" voice=\"Polly.Joanna\">Thank you &amp; goodbye &lt;3</Say><Hangup/></Response>");
    }

    @Test
    void unknownLanguageIsRefused() {
        assertThatThrownBy(() -> TwimlRenderer.forScriptLanguage("xx")).hasMessageContaining("xx");
    }

    @Test
    void aCachedDocumentIsWhatTheSdkWritesWhateverTheActionUrl() {
        TwimlRenderer r = TwimlRenderer.forScriptLanguage("zh-CN");
        List<Instruction> ask = List.of(new Instruction.Gather(List.of(new Instruction.Speak("请按1", null)), 1, 8, "#"));
        for (String url : List.of("https://a.example.cn/webhooks/twilio/voice/7?seen=1",
                "https://a.example.cn/x?a=1&b=%3C2%3E&c=3", "/webhooks/twilio/voice/8?seen=12")) {
            assertThat(r.render(ask, url)).isEqualTo(r.renderWithSdk(ask, url));
        }
        List<Instruction> bye = List.of(new Instruction.Speak("再见", null), new Instruction.Hangup());
        assertThat(r.render(bye, null)).isEqualTo(r.renderWithSdk(bye, null)).doesNotContain("urn:outreach");
    }
}
