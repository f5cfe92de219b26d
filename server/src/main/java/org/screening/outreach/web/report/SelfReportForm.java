package org.screening.outreach.web.report;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.screening.outreach.domain.FirstCheck;

/**
 * The self-report form's answers, checked like the phone first check asks them (Chongqing item 22): user of the
 * number, in the city (address and district), 7-day travel (arrival date), health code. Messages are Chinese.
 */
final class SelfReportForm {
    static final String ADDRESS = "address";
    static final String DISTRICT = "district";

    record Checked(Map<String, String> answers, Map<String, String> errors) {
        boolean ok() {
            return errors.isEmpty();
        }
    }

    private SelfReportForm() {}

    static Checked check(Map<String, String> form, LocalDate today) {
        Map<String, String> a = new LinkedHashMap<>();
        Map<String, String> e = new LinkedHashMap<>();
        String identity = yesNo(form, FirstCheck.IDENTITY, "请选择是否为本人使用此手机号码", a, e);
        // Not the user of the number: nothing more to ask. Not answered yet: every other missing answer is named now
        // too, so nobody (an elderly person least of all) learns one missing answer per submit.
        if ("no".equals(identity)) return new Checked(a, e);
        String inCity = yesNo(form, FirstCheck.IN_CITY, "请选择目前是否在本市", a, e);
        if ("yes".equals(inCity)) {
            text(form, ADDRESS, 200, "请填写目前居住地址", a, e);
            text(form, DISTRICT, 50, "请填写所在区（县）", a, e);
        }
        String travel = yesNo(form, FirstCheck.TRAVEL_7D, "请选择近7天是否有市外旅居史或途经史", a, e);
        if ("yes".equals(travel)) {
            String d = value(form, FirstCheck.ARRIVAL_DATE);
            try {
                LocalDate date = LocalDate.parse(d);
                if (date.isAfter(today)) e.put(FirstCheck.ARRIVAL_DATE, "抵达日期不能晚于今天");
                else if (date.isBefore(today.minusDays(30))) e.put(FirstCheck.ARRIVAL_DATE, "请填写最近30天内的抵达日期");
                else a.put(FirstCheck.ARRIVAL_DATE, date.toString());
            } catch (DateTimeParseException ex) {
                e.put(FirstCheck.ARRIVAL_DATE, "请选择抵达本市的日期");
            }
        }
        String code = value(form, FirstCheck.HEALTH_CODE);
        if (Set.of("green", "yellow", "red").contains(code)) a.put(FirstCheck.HEALTH_CODE, code);
        else e.put(FirstCheck.HEALTH_CODE, "请选择健康码颜色");
        return new Checked(a, e);
    }

    private static String yesNo(Map<String, String> form, String key, String message, Map<String, String> a,
                                Map<String, String> e) {
        String v = value(form, key);
        if (v.equals("yes") || v.equals("no")) {
            a.put(key, v);
            return v;
        }
        e.put(key, message);
        return null;
    }

    private static void text(Map<String, String> form, String key, int max, String message, Map<String, String> a,
                             Map<String, String> e) {
        String v = value(form, key);
        if (v.isEmpty()) e.put(key, message);
        else if (v.length() > max) e.put(key, "最多" + max + "个字");
        else a.put(key, v);
    }

    private static String value(Map<String, String> form, String key) {
        String v = form.get(key);
        if (v == null) return "";
        StringBuilder b = new StringBuilder();
        v.strip().codePoints().filter(cp -> !Character.isISOControl(cp)).forEach(b::appendCodePoint);
        return b.toString();
    }
}
