package org.screening.outreach.domain;

/**
 * 12-digit statistical division code (统计用区划代码): 2 province, 2 city, 2 county, 3 township, 3 village.
 * A scope is a prefix of it; the empty prefix is the whole deployment.
 */
public final class Jurisdiction {
    private Jurisdiction() {}

    public static boolean isValidCode(String code) {
        return code != null && code.length() == 12 && code.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    public static boolean isValidPrefix(String prefix) {
        return prefix != null && prefix.length() <= 12 && prefix.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    public static boolean covers(String prefix, String code) {
        return code != null && code.startsWith(prefix);
    }
}
