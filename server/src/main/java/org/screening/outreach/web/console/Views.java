package org.screening.outreach.web.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.ledger.export.EventText;

/**
 * Turns cases and ledger events into what the templates show, in the request's language. Values are plain text;
 * the templates escape them. Nothing here may throw on odd data: an event type or field it does not know is shown
 * as it is stored.
 */
final class Views {
    /** Bookkeeping fields of events that mean nothing to staff. */
    private static final Set<String> HIDDEN = Set.of("attempt", "step", "digits", "seq");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss");
    private static final DateTimeFormatter DEADLINE = DateTimeFormatter.ofPattern("MM-dd HH:mm");
    private final ZoneId zone;

    Views(ZoneId zone) {
        this.zone = zone;
    }

    /** "还剩 1小时23分" / "还剩 12分05秒" / "已超时"; the page's script keeps it running with the same words. */
    static String countdown(Instant deadline, Instant now, Messages m) {
        long secs = Duration.between(now, deadline).getSeconds();
        if (secs <= 0) return m.get("countdown.over");
        long h = secs / 3600;
        long min = (secs % 3600) / 60;
        String left = h > 0 ? m.fmt("countdown.hm", h, min) : m.fmt("countdown.ms", min, String.format("%02d", secs % 60));
        return m.fmt("countdown.left", left);
    }

    /** A revealed number as staff dial it: Chinese numbers without +86 (the mask shows them the same way). */
    static String nationalPhone(String e164) {
        return e164 != null && e164.startsWith("+86") ? e164.substring(3) : e164 == null ? "" : e164;
    }

    /**
     * A case as lists and headers show it: the phone masked as the API masks it (shown only through the audited
     * reveal); the name in full to staff of the case's own jurisdiction ({@code fullName}), who must find the person.
     */
    Map<String, Object> riskCase(RiskCase c, DoorKnockTask task, Instant now, Messages m, boolean fullName) {
        Map<String, Object> v = new HashMap<>();
        v.put("id", c.id());
        v.put("name", fullName ? c.name() : Masking.name(c.name()));
        v.put("phone", Masking.phone(c.phone()));
        // Masked as the API shows it, for the team to check against the ID card at the door; the full number only
        // through the API's audited reveal.
        v.put("idNumber", fullName && c.idNumber() != null ? Masking.idNumber(c.idNumber()) : "");
        v.put("category", m.getOr("category." + c.category().name(), c.category().name()));
        v.put("status", c.status().name());
        v.put("statusText", m.getOr("status." + c.status().name(), c.status().name()));
        v.put("jurisdiction", c.jurisdiction());
        // Only a language other than Chinese is named: staff knocking on the door should know to speak it.
        v.put("language", c.language() == CaseLanguage.ZH_CN ? ""
                : m.getOr("language." + c.language().tag(), c.language().tag()));
        v.put("deadline", DEADLINE.format(c.deadlineAt().atZone(zone)));
        v.put("deadlineMillis", String.valueOf(c.deadlineAt().toEpochMilli()));
        v.put("countdown", countdown(c.deadlineAt(), now, m));
        v.put("over", !now.isBefore(c.deadlineAt()));
        // A verified, controlled or finished case is no longer chased: its deadline shows, not a countdown.
        v.put("chased", WorkList.Section.DUE_SOON.statuses().contains(c.status()));
        v.put("hasTask", task != null);
        v.put("taskId", task == null ? "" : String.valueOf(task.id()));
        v.put("taskReason", task == null ? "" : m.getOr("reason." + task.reason(), task.reason()));
        v.put("assignee", task == null || task.assignee() == null ? "" : task.assignee());
        return v;
    }

    /**
     * Where the person said they live in their latest self-report with an address (district first), and when, for
     * the door-knock team; null when they gave none. A number typed into it is masked as on the timeline.
     */
    Map<String, Object> reportedAddress(List<LedgerEvent> events) {
        for (int i = events.size() - 1; i >= 0; i--) {
            LedgerEvent e = events.get(i);
            Object address = e.data().get("address");
            if (!LedgerEvent.SELF_REPORT.equals(e.type()) || address == null || address.toString().isBlank()) continue;
            Object district = e.data().get("district");
            String text = ((district == null ? "" : district + " ") + address).strip();
            return Map.of("text", EventText.shown("address", text), "time", TIME.format(e.at().atZone(zone)));
        }
        return null;
    }

    /** One line of the timeline: when, what (in words), by whom, and the details as "label: value". */
    Map<String, Object> event(LedgerEvent e, Messages m) {
        Map<String, Object> v = new HashMap<>();
        v.put("time", TIME.format(e.at().atZone(zone)));
        v.put("type", e.type());
        v.put("title", m.getOr("event." + e.type(), e.type()));
        v.put("actor", actor(e.actor(), m));
        List<String> details = new ArrayList<>();
        for (Map.Entry<String, Object> d : new TreeMap<>(e.data()).entrySet()) {
            if (HIDDEN.contains(d.getKey()) || d.getValue() == null) continue;
            details.add(m.getOr("field." + d.getKey(), d.getKey()) + ": " + value(e, d.getKey(),
                    EventText.shown(d.getKey(), String.valueOf(d.getValue())), m));
        }
        v.put("details", details);
        return v;
    }

    /**
     * A stored value in words: statuses and outcomes by their names; an IVR or self-report answer by the answered
     * question's key ({@code key}/{@code value} pairs) or the field itself; anything else as stored.
     */
    private String value(LedgerEvent e, String field, String raw, Messages m) {
        switch (field) {
            case "from", "to" -> {
                return m.getOr("status." + raw, raw);
            }
            case "category" -> {
                return m.getOr("category." + raw, raw);
            }
            case "outcome" -> {
                return m.getOr("outcome." + raw, raw);
            }
            case "reason" -> {
                return org.screening.outreach.ledger.export.ReasonText.of(raw, m::getOr);
            }
            case "key" -> {
                return m.getOr("field." + raw, raw);
            }
            case "flags" -> { // "travel_last_7_days,health_code_yellow": the first check's flag codes, in words
                List<String> words = new ArrayList<>();
                for (String f : raw.split(",")) words.add(m.getOr("sim.flag." + f.strip(), f.strip()));
                return String.join("；", words);
            }
            case "value" -> {
                Object key = e.data().get("key");
                return m.getOr("answer." + key + "." + raw, m.getOr("answer." + raw, raw));
            }
            default -> {
                if (EventText.isInstant(field, raw)) return time(raw);
                return m.getOr("answer." + field + "." + raw, m.getOr("answer." + raw, raw));
            }
        }
    }

    /** Times stored as ISO instants ("deadlineAt") shown in the deployment's zone; anything else as stored. */
    private String time(String raw) {
        try {
            return TIME.format(Instant.parse(raw).atZone(zone));
        } catch (java.time.format.DateTimeParseException e) {
            return raw;
        }
    }

    private static String actor(String actor, Messages m) {
        if (actor == null) return "";
        int colon = actor.indexOf(':');
        String kind = colon < 0 ? actor : actor.substring(0, colon);
        String who = colon < 0 ? "" : actor.substring(colon + 1);
        String word = m.getOr("actor." + kind, kind);
        return who.isEmpty() ? word : word + " " + who;
    }
}
