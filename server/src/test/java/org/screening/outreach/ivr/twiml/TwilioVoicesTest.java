package org.screening.outreach.ivr.twiml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.screening.outreach.ivr.Instruction;

/** OUTREACH_TWILIO_VOICES: which voice speaks each script language's prompts. */
class TwilioVoicesTest {
    static final List<Instruction> HELLO = List.of(new Instruction.Speak("您好", null), new Instruction.Hangup());

    @Test
    void aConfiguredVoiceSpeaksItsLanguageAndTheOthersKeepTheirDefault() {
        TwilioVoices voices = TwilioVoices.parse("zh-CN=Google.cmn-CN-Standard-A, en=polly.amy/en-GB");
        assertThat(voices.rendererFor("zh-CN").render(HELLO, null))
                .contains("<Say language=\"cmn-CN\" voice=\"Google.cmn-CN-Standard-A\">您好</Say>");
        assertThat(voices.rendererFor("en").render(HELLO, null)).contains("language=\"en-GB\" voice=\"Polly.Amy\"");
        assertThat(TwilioVoices.parse("en=Polly.Amy/en-GB").rendererFor("zh-CN").render(HELLO, null))
                .contains("language=\"cmn-CN\" voice=\"Polly.Zhiyu\"");
        assertThat(TwilioVoices.parse("").rendererFor("en").render(HELLO, null))
                .contains("language=\"en-US\" voice=\"Polly.Joanna\"");
    }

    @Test
    void whatTwilioWouldNotSpeakIsRefusedWithWhatWasWrong() {
        assertThatThrownBy(() -> TwilioVoices.parse("zh-CN=Polly.Zhiyou")).hasMessageContaining("Polly.Zhiyou");
        assertThatThrownBy(() -> TwilioVoices.parse("zh-CN=Polly.Zhiyu/cmn-XX")).hasMessageContaining("cmn-XX");
        assertThatThrownBy(() -> TwilioVoices.parse("Polly.Zhiyu")).hasMessageContaining("scriptLanguage=Voice");
        assertThatThrownBy(() -> TwilioVoices.parse("fr=Polly.Lea")).hasMessageContaining("name the <Say> language");
        assertThatThrownBy(() -> TwilioVoices.parse("en=Polly.Amy,en=Polly.Brian"))
                .hasMessageContaining("named twice");
        assertThat(TwilioVoices.parse("fr=Polly.Lea/fr-FR").rendererFor("fr").render(HELLO, null))
                .contains("language=\"fr-FR\" voice=\"Polly.Lea\"");
    }
}
