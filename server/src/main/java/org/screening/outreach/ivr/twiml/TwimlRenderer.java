package org.screening.outreach.ivr.twiml;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Say;
import java.util.List;
import org.screening.outreach.ivr.Instruction;

/**
 * Renders the engine's instructions as a TwiML document with the Twilio SDK's builders (so escaping and attribute
 * names are Twilio's). One document per webhook: Twilio posts the keys (or an empty result on timeout, thanks to
 * actionOnEmptyResult) to {@code actionUrl}, which the caller makes {@code /webhooks/twilio/voice/{attemptId}}.
 */
public final class TwimlRenderer {
    private static final String ACTION_PLACEHOLDER = "urn:outreach:gather-action";
    private static final int CACHE_LIMIT = 10_000;
    private final Say.Voice voice;
    private final Say.Language language;
    private final java.util.concurrent.ConcurrentHashMap<List<Instruction>, String> cache =
            new java.util.concurrent.ConcurrentHashMap<>();

    public TwimlRenderer(Say.Voice voice, Say.Language language) {
        this.voice = voice;
        this.language = language;
    }

    /**
     * The TTS voice and language of a script's language tag, unless OUTREACH_TWILIO_VOICES names another
     * ({@link TwilioVoices}). The voice is named because without one Twilio uses the account's default ("man" unless
     * changed), which speaks no Chinese: the prompts of a zh-CN call would fail.
     * zh-CN → Amazon Polly's Mandarin voice Zhiyu (cmn-CN); en, en-US → Joanna; en-GB → Amy.
     */
    public static TwimlRenderer forScriptLanguage(String tag) {
        Say.Language language = usualLanguage(tag).orElseThrow(
                () -> new IllegalArgumentException("no Twilio <Say> voice for script language " + tag));
        return new TwimlRenderer(switch (language) {
            case CMN_CN -> Say.Voice.POLLY_ZHIYU;
            case EN_GB -> Say.Voice.POLLY_AMY;
            default -> Say.Voice.POLLY_JOANNA;
        }, language);
    }

    /** The {@code <Say language>} of a script language tag, if it is one the shipped scripts use. */
    static java.util.Optional<Say.Language> usualLanguage(String tag) {
        return java.util.Optional.ofNullable(switch (tag) {
            case "zh-CN", "zh" -> Say.Language.CMN_CN;
            case "en", "en-US" -> Say.Language.EN_US;
            case "en-GB" -> Say.Language.EN_GB;
            default -> null;
        });
    }

    /**
     * The document for {@code instructions}. The same few prompts are rendered again and again (every caller
     * hears the same questions) and the SDK's toXml() builds new XML factories each time, so the document is
     * rendered once per instruction list with a placeholder for the action URL, which differs per call.
     */
    public String render(List<Instruction> instructions, String actionUrl) {
        if (cache.size() > CACHE_LIMIT) cache.clear(); // a bound, not an eviction policy: scripts have few prompts
        String template = cache.computeIfAbsent(instructions, i -> renderWithSdk(i, ACTION_PLACEHOLDER));
        return actionUrl == null ? template : template.replace(ACTION_PLACEHOLDER, attribute(actionUrl));
    }

    /** What the SDK's serializer writes for an attribute value. */
    static String attribute(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }

    String renderWithSdk(List<Instruction> instructions, String actionUrl) {
        VoiceResponse.Builder response = new VoiceResponse.Builder();
        for (Instruction i : instructions) {
            if (i instanceof Instruction.Speak s) {
                response.say(say(s));
            } else if (i instanceof Instruction.Gather g) {
                response.gather(gather(g, actionUrl));
            } else if (i instanceof Instruction.Hangup) {
                response.hangup(new Hangup.Builder().build());
            }
        }
        try {
            return response.build().toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("TwiML not renderable", e);
        }
    }

    private Say say(Instruction.Speak s) {
        return new Say.Builder(s.text()).voice(voice).language(language).build();
    }

    private Gather gather(Instruction.Gather g, String actionUrl) {
        Gather.Builder b = new Gather.Builder().inputs(Gather.Input.DTMF).numDigits(g.maxDigits())
                .timeout(g.timeoutSeconds()).finishOnKey(g.finishOnKey()).action(actionUrl).method(HttpMethod.POST)
                .actionOnEmptyResult(true);
        g.prompts().forEach(p -> b.say(say(p)));
        return b.build();
    }
}
