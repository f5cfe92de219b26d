package org.screening.outreach.intake;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Maps the header row (Chinese or English names) to the fields of a case; names what is missing. */
final class Columns {
    enum Field {
        EXTERNAL_ID(true, "外部编号/externalId", "外部编号", "externalid", "external_id", "编号"),
        NAME(false, "姓名/name", "姓名", "name"),
        PHONE(true, "手机号码/phone", "手机号码", "手机号", "phone", "联系电话", "电话"),
        ID_NUMBER(false, "证件号码/idNumber", "证件号码", "身份证号", "身份证号码", "idnumber", "id_number"),
        CATEGORY(true, "风险类别/category", "风险类别", "category", "类别"),
        JURISDICTION(true, "所属社区/jurisdiction", "所属社区", "社区编码", "jurisdiction"),
        PUSHED_AT(false, "推送时间/pushedAt", "推送时间", "pushedat", "pushed_at"),
        LANGUAGE(false, "语言/language", "语言", "语种", "language");

        final boolean required;
        final String label;
        final List<String> names;

        Field(boolean required, String label, String... names) {
            this.required = required;
            this.label = label;
            this.names = List.of(names);
        }
    }

    private final Map<Field, Integer> index;

    private Columns(Map<Field, Integer> index) {
        this.index = index;
    }

    /** The columns when {@code row} names every required one, else null. */
    static Columns ofHeader(List<String> row) {
        Map<Field, Integer> index = index(row);
        return missingIn(index).isEmpty() ? new Columns(index) : null;
    }

    /** How many of the fields {@code row} names: the row closest to a header is the one to explain. */
    static int named(List<String> row) {
        return index(row).size();
    }

    /** The required columns {@code row} does not name, as the error lists them (all of them for no row). */
    static List<String> missing(List<String> row) {
        return missingIn(row == null ? Map.of() : index(row));
    }

    private static Map<Field, Integer> index(List<String> header) {
        Map<Field, Integer> index = new EnumMap<>(Field.class);
        for (int i = 0; i < header.size(); i++) {
            String h = normalise(header.get(i));
            for (Field f : Field.values()) {
                if (f.names.contains(h) && !index.containsKey(f)) index.put(f, i);
            }
        }
        return index;
    }

    private static List<String> missingIn(Map<Field, Integer> index) {
        List<String> missing = new ArrayList<>();
        for (Field f : Field.values()) {
            if (f.required && !index.containsKey(f)) missing.add(f.label);
        }
        return missing;
    }

    CaseSubmission toSubmission(int row, List<String> cells) {
        return new CaseSubmission(row, cell(cells, Field.EXTERNAL_ID), cell(cells, Field.NAME),
                cell(cells, Field.PHONE), cell(cells, Field.ID_NUMBER), cell(cells, Field.CATEGORY),
                cell(cells, Field.JURISDICTION), cell(cells, Field.PUSHED_AT), cell(cells, Field.LANGUAGE));
    }

    private String cell(List<String> cells, Field f) {
        Integer i = index.get(f);
        return i == null || i >= cells.size() || cells.get(i) == null ? "" : cells.get(i);
    }

    static boolean isBlank(List<String> cells) {
        for (String c : cells) if (c != null && !c.isBlank()) return false;
        return true;
    }

    private static String normalise(String h) {
        if (h == null) return "";
        return Normalizer.normalize(h.replace("\uFEFF", ""), Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    }
}
