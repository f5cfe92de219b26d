package org.screening.outreach.domain;

/** 18-character resident ID (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check character. */
public final class ResidentIdNumber {
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    private ResidentIdNumber() {}

    /** Returns null when valid, else a message for the row error. */
    public static String problem(String id) {
        if (id.length() != 18) return "ID number must have 18 characters";
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') return "ID number must start with 17 digits";
            sum += (c - '0') * WEIGHTS[i];
        }
        char last = Character.toUpperCase(id.charAt(17));
        return last == CHECK[sum % 11] ? null : "ID number checksum does not match";
    }
}
