package org.screening.outreach.support;

/** Valid resident ID numbers for test data (checksum computed, as the real ones are). */
public final class IdNumbers {
    private static final int[] W = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK = "10X98765432";

    private IdNumbers() {}

    public static String valid(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) sum += (first17.charAt(i) - '0') * W[i];
        return first17 + CHECK.charAt(sum % 11);
    }
}
