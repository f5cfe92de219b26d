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

    /**
     * A whole level of the code: empty (everything), province 2, city 4, county 6, township 9 or community 12 digits.
     * A scope cut inside a level ("510" meant as Chengdu, 5101) would quietly cover every 510x city.
     */
    public static boolean isLevelPrefix(String prefix) {
        return isValidPrefix(prefix) && switch (prefix.length()) {
            case 0, 2, 4, 6, 9, 12 -> true;
            default -> false;
        };
    }

    public static boolean covers(String prefix, String code) {
        return code != null && code.startsWith(prefix);
    }

    /**
     * Whether a caller scoped to {@code prefix} may read a case of {@code code} in a deployment of {@code deployment}
     * (OUTREACH_JURISDICTION; empty: everything is ours): a case inside their scope, or one pushed here from outside
     * the deployment (handed over to its home jurisdiction) when their scope is the whole deployment. Such a transfer
     * is on that task force's list, and it must be able to open the case it chases the receipt of.
     */
    public static boolean readable(String prefix, String deployment, String code) {
        return covers(prefix, code)
                || (code != null && !deployment.isEmpty() && deployment.startsWith(prefix) && !covers(deployment, code));
    }
}
