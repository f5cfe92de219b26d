package org.screening.outreach.domain;

/** How personal data is shown wherever a full value is not needed (lists, logs). */
public final class Masking {
    private Masking() {}

    /** +8613812345678 → 138****5678; keeps only the last four digits of short numbers. */
    public static String phone(String e164) {
        if (e164 == null || e164.isEmpty()) return "";
        String national = e164.startsWith("+86") ? e164.substring(3) : e164;
        if (national.length() >= 11) {
            return national.substring(0, 3) + "*".repeat(national.length() - 7) + national.substring(national.length() - 4);
        }
        return "*".repeat(Math.max(0, national.length() - 4)) + national.substring(Math.max(0, national.length() - 4));
    }

    /** 510104199001011234 → 510104********1234. */
    public static String idNumber(String id) {
        if (id == null || id.isEmpty()) return "";
        if (id.length() <= 10) return "*".repeat(id.length());
        return id.substring(0, 6) + "*".repeat(id.length() - 10) + id.substring(id.length() - 4);
    }

    /** 张三丰 → 张**. */
    public static String name(String name) {
        if (name == null || name.isEmpty()) return "";
        int first = name.offsetByCodePoints(0, 1);
        return name.substring(0, first) + "*".repeat(name.codePointCount(first, name.length()));
    }

    private static final java.util.regex.Pattern LONG_NUMBER = java.util.regex.Pattern.compile("\\+?\\d{7,}[\\dXx]?");

    /**
     * Masks every run of 7 or more digits (phones, ID numbers) in free text such as a database error message,
     * which may quote the row that failed; used before anything reaches a log.
     */
    public static String redactNumbers(String text) {
        if (text == null) return null;
        return LONG_NUMBER.matcher(text).replaceAll(m -> {
            String n = m.group();
            return "*".repeat(Math.max(0, n.length() - 4)) + n.substring(Math.max(0, n.length() - 4));
        });
    }
}
