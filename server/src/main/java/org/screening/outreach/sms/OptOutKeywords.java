package org.screening.outreach.sms;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an inbound SMS as an opt-out / opt-in keyword. Chinese carriers' convention is 回复TD退订 (TD, T, 退订);
 * Twilio's and the international one is STOP / START. The whole message must be the keyword: a sentence that
 * merely contains "stop" is a reply to staff, not a request to stop.
 */
public final class OptOutKeywords {
    public enum Keyword { OPT_OUT, OPT_IN, NONE }

    // Twilio's own opt-out words (STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) and opt-in word UNSTOP too: Twilio blocks
    // a number that sent one (error 21610), so a list without them would keep texting a number Twilio refuses. The
    // traditional characters 退訂 / 訂閱 are the same words typed on a Hong Kong or Taiwan phone.
    private static final Set<String> OPT_OUT = Set.of("STOP", "退订", "退訂", "TD", "T", "STOPALL", "UNSUBSCRIBE",
            "CANCEL", "END", "QUIT");
    private static final Set<String> OPT_IN = Set.of("START", "订阅", "訂閱", "UNSTOP");
    // Phones add "。" or "!" after a word and full-width input gives "ＴＤ" or "　"; NFKC folds the latter to ASCII.
    private static final Pattern EDGES = Pattern.compile("^[\\p{Z}\\s\\p{P}]+|[\\p{Z}\\s\\p{P}]+$");

    private OptOutKeywords() {}

    public static Keyword of(String body) {
        if (body == null) return Keyword.NONE;
        String k = EDGES.matcher(Normalizer.normalize(body, Normalizer.Form.NFKC)).replaceAll("").toUpperCase(Locale.ROOT);
        if (OPT_OUT.contains(k)) return Keyword.OPT_OUT;
        if (OPT_IN.contains(k)) return Keyword.OPT_IN;
        return Keyword.NONE;
    }
}
