package org.screening.outreach.sms;

/**
 * How many SMS parts a body takes, by the GSM 03.38 / 3GPP 23.040 rules that carriers (and Twilio) bill by:
 * a body that is all GSM-7 takes 160 septets in one part or 153 per part when concatenated (the user data
 * header eats 7), extension characters (€ [ ] { } ^ ~ \ | and form feed) take two septets and an escape
 * sequence is never split across parts. Anything else (Chinese) goes as UCS-2: 70 UTF-16 units in one part or
 * 67 per part, and a surrogate pair (emoji, rare CJK) is never split, so it may push a part over early.
 */
public final class Segments {
    public enum Encoding { GSM7, UCS2 }

    /** {@code units}: septets for GSM-7, UTF-16 code units for UCS-2. */
    public record Count(Encoding encoding, int units, int segments) {}

    private static final String GSM7_BASIC =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM7_EXTENSION = "\f^{}\\[~]|€";

    private Segments() {}

    public static Count count(String body) {
        return isGsm7(body) ? gsm7(body) : ucs2(body);
    }

    public static boolean isGsm7(String body) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\u001B' || (GSM7_BASIC.indexOf(c) < 0 && GSM7_EXTENSION.indexOf(c) < 0)) return false;
        }
        return true;
    }

    private static Count gsm7(String body) {
        int total = 0;
        for (int i = 0; i < body.length(); i++) total += septets(body.charAt(i));
        if (total <= 160) return new Count(Encoding.GSM7, total, 1);
        // Pack greedily: a 2-septet character that does not fit starts the next part.
        int parts = 1;
        int used = 0;
        for (int i = 0; i < body.length(); i++) {
            int s = septets(body.charAt(i));
            if (used + s > 153) {
                parts++;
                used = 0;
            }
            used += s;
        }
        return new Count(Encoding.GSM7, total, parts);
    }

    private static Count ucs2(String body) {
        int total = body.length();
        if (total <= 70) return new Count(Encoding.UCS2, total, 1);
        int parts = 1;
        int used = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            int n = Character.isHighSurrogate(c) && i + 1 < body.length() && Character.isLowSurrogate(body.charAt(i + 1)) ? 2 : 1;
            if (used + n > 67) {
                parts++;
                used = 0;
            }
            used += n;
            i += n - 1;
        }
        return new Count(Encoding.UCS2, total, parts);
    }

    private static int septets(char c) {
        return GSM7_EXTENSION.indexOf(c) >= 0 ? 2 : 1;
    }
}
