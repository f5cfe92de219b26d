package org.screening.outreach.campaigns;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the phone column of a recipients sheet. A first row naming it (手机号码, 手机号, 手机, 联系电话, 联系方式,
 * 电话, phone, mobile…; a required-field star or a bracketed remark after the name is allowed) is a header; a first row without such a name but with a number in its first cell is data (a bare list
 * of numbers, one per line, is what a centre's export often is) and the phone is the first column.
 */
final class PhoneColumn {
    private static final Set<String> NAMES = Set.of("手机号码", "手机号", "手机", "联系电话", "电话", "电话号码",
            "联系方式", "移动电话", "手机号码/phone", "phone", "mobile", "msisdn", "tel", "telephone", "phonenumber",
            "mobilephone", "mobilenumber", "phone_number", "mobile_number");
    /** A required-field star and a remark in brackets, as export templates write them: 手机号码*, 手机号码（必填）. */
    private static final Pattern DECORATION = Pattern.compile("[*＊\\s]|\\([^)]*\\)$");

    /** Column index; -1 when the first row names no phone column. */
    static int inHeader(List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i) == null ? "" : Normalizer.normalize(cells.get(i).replace("\uFEFF", ""),
                    Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
            if (NAMES.contains(c) || NAMES.contains(DECORATION.matcher(c).replaceAll(""))) return i;
        }
        return -1;
    }

    /** A phone number as written (digits, a leading +, spaces, dashes, brackets), not text with a date in it. */
    static boolean looksLikeNumber(String cell) {
        if (cell == null) return false;
        String s = Normalizer.normalize(cell, Normalizer.Form.NFKC).strip();
        return NUMBER.matcher(s).matches() && s.chars().filter(Character::isDigit).count() >= 5;
    }

    private static final Pattern NUMBER = Pattern.compile("[+\\d][\\d\\s().\\-]*");

    static boolean isBlank(List<String> cells) {
        for (String c : cells) if (c != null && !c.isBlank()) return false;
        return true;
    }

    static String cell(List<String> cells, int i) {
        return i < cells.size() && cells.get(i) != null ? cells.get(i) : "";
    }

    /** Title rows above the header (名单 exports start with one or two: "XX社区重点人员名单", a date) skipped at most. */
    static final int MAX_TITLE_ROWS = 5;

    static RecipientFileException noPhoneColumn() {
        return new RecipientFileException("no phone column: name it 手机号码 or phone in the first row, "
                + "or send one number per line");
    }

    /** What a leading non-blank row means: a header at a column, or data with the phone in column 0. */
    record Layout(int column, boolean firstRowIsData) {
        /**
         * {@code titleRows}: rows skipped above it so far. Null for a title row to skip (neither a header nor a number
         * in its first cell); after {@link #MAX_TITLE_ROWS} of those the file has no phone column.
         */
        static Layout of(List<String> row, int titleRows) throws RecipientFileException {
            int c = inHeader(row);
            if (c >= 0) return new Layout(c, false);
            if (looksLikeNumber(cell(row, 0))) return new Layout(0, true);
            if (titleRows + 1 < MAX_TITLE_ROWS) return null;
            throw noPhoneColumn();
        }
    }
}
