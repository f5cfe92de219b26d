package org.screening.outreach.ivr.twiml;

import com.twilio.twiml.voice.Say;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Twilio {@code <Say>} voice of each script language: {@link TwimlRenderer#forScriptLanguage}'s choice unless
 * OUTREACH_TWILIO_VOICES names another, e.g. {@code zh-CN=Google.cmn-CN-Standard-A,en=Polly.Amy/en-GB}. A deployment
 * may prefer a voice its elderly callees understand better, or one its Twilio account has; a voice or language the
 * SDK does not know fails the start, since Twilio would fail every {@code <Say>} of the call instead.
 */
public final class TwilioVoices {
    private final Map<String, TwimlRenderer> renderers = new ConcurrentHashMap<>();

    private TwilioVoices() {}

    public static TwilioVoices defaults() {
        return new TwilioVoices();
    }

    /** {@code tag=Voice[/language]}, comma-separated; the language defaults to the tag's usual one (cmn-CN for zh-CN). */
    public static TwilioVoices parse(String spec) {
        TwilioVoices v = new TwilioVoices();
        if (spec == null || spec.isBlank()) return v;
        for (String entry : spec.split(",")) {
            String e = entry.strip();
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new IllegalArgumentException("'" + e + "' is not scriptLanguage=Voice (e.g. zh-CN=Polly.Zhiyu)");
            }
            String tag = e.substring(0, eq).strip();
            String[] voiceAndLanguage = e.substring(eq + 1).strip().split("/", 2);
            Say.Voice voice = known(Say.Voice.values(), voiceAndLanguage[0].strip())
                    .orElseThrow(() -> new IllegalArgumentException("Twilio has no <Say> voice '" + voiceAndLanguage[0]
                            + "' (names as in Twilio's list, e.g. Polly.Zhiyu, Google.cmn-CN-Standard-A)"));
            Say.Language language;
            if (voiceAndLanguage.length == 2) {
                language = known(Say.Language.values(), voiceAndLanguage[1].strip()).orElseThrow(() ->
                        new IllegalArgumentException("Twilio has no <Say> language '" + voiceAndLanguage[1] + "'"));
            } else {
                language = TwimlRenderer.usualLanguage(tag).orElseThrow(() -> new IllegalArgumentException(
                        "name the <Say> language for script language " + tag + ": " + tag + "=" + voice + "/xx-YY"));
            }
            if (v.renderers.put(tag, new TwimlRenderer(voice, language)) != null) {
                throw new IllegalArgumentException("script language " + tag + " is named twice");
            }
        }
        return v;
    }

    /** The renderer of a script language; throws IllegalArgumentException for a language with no voice. */
    public TwimlRenderer rendererFor(String tag) {
        return renderers.computeIfAbsent(tag, TwimlRenderer::forScriptLanguage);
    }

    /** The SDK's value whose Twilio name (its toString) is {@code name}, ignoring case. */
    private static <T extends Enum<T>> Optional<T> known(T[] values, String name) {
        return Arrays.stream(values).filter(x -> x.toString().toLowerCase(Locale.ROOT)
                .equals(name.toLowerCase(Locale.ROOT))).findFirst();
    }
}
