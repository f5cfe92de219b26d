package org.screening.outreach.ledger.export;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.screening.outreach.domain.Masking;

/**
 * A ledger event in words for an export: its type's label and its data as "label: value" pairs, read the way the
 * console's case page reads them. Free text (notes, reasons, addresses, actor names) may hold a phone or ID number
 * typed by someone: every run of 7 or more digits in it is masked, except where a value is known to be a division
 * code or a case id.
 */
public final class EventText {
    /** Bookkeeping fields of events that mean nothing to staff (as on the case page). */
    private static final Set<String> HIDDEN = Set.of("attempt", "step", "digits", "seq");
    /** Fields that hold a division code (a transfer's destination, a case's community). */
    private static final Set<String> DIVISION_FIELDS = Set.of("jurisdiction", "peer", "to", "from", "toJurisdiction");
    private static final Pattern DIVISION_CODE = Pattern.compile("[1-9]\\d{1,11}");
    private static final Pattern MOBILE = Pattern.compile("1[3-9]\\d{9}");
    /** A case or transfer id (ULID): never a number of a person. */
    private static final Pattern ULID = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");
    private static final Pattern ISO_INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\S*Z");
    static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private final Labels labels;
    private final ZoneId zone;

    public EventText(Labels labels, ZoneId zone) {
        this.labels = labels;
        this.zone = zone;
    }

    /** The type's label (接收, 状态变更, …), or "" when the console has none. */
    public String title(String type) {
        return labels.text("event." + type, "");
    }

    /** "原状态: 新接收；新状态: 联系中；原因: 已安排联系", fields in name order. */
    public String details(Map<String, Object> data) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Object> d : new TreeMap<>(data).entrySet()) {
            if (HIDDEN.contains(d.getKey()) || d.getValue() == null) continue;
            String raw = shown(d.getKey(), String.valueOf(d.getValue()));
            parts.add(labels.text("field." + d.getKey(), d.getKey()) + ": " + value(data, d.getKey(), raw));
        }
        return String.join("；", parts);
    }

    /** Who did it, with any long number in the name masked (token and account names are typed by people). */
    public String actor(String actor) {
        return actor == null ? "" : Masking.redactNumbers(actor);
    }

    /** The value as it may leave the server (or show on a page): numbers of people masked, codes and ids kept. */
    public static String shown(String field, String raw) {
        if (ULID.matcher(raw).matches()) return raw;
        if (DIVISION_FIELDS.contains(field) && DIVISION_CODE.matcher(raw).matches() && !MOBILE.matcher(raw).matches()) {
            return raw;
        }
        return Masking.redactNumbers(raw);
    }

    private String value(Map<String, Object> data, String field, String raw) {
        return switch (field) {
            case "from", "to" -> labels.text("status." + raw, raw);
            case "category" -> labels.text("category." + raw, raw);
            case "outcome" -> labels.text("outcome." + raw, raw);
            case "reason" -> ReasonText.of(raw, labels);
            case "key" -> labels.text("field." + raw, raw);
            case "value" -> labels.text("answer." + data.get("key") + "." + raw, labels.text("answer." + raw, raw));
            default -> isInstant(field, raw) ? time(raw)
                    : labels.text("answer." + field + "." + raw, labels.text("answer." + raw, raw));
        };
    }

    /** Whether a data field holds a time: named so ("deadlineAt"), or an ISO instant under another name ("ackBy"). */
    public static boolean isInstant(String field, String raw) {
        return field.endsWith("At") || ISO_INSTANT.matcher(raw).matches();
    }

    /** Times stored as ISO instants ("deadlineAt", "ackBy") in the deployment's zone; anything else as stored. */
    private String time(String raw) {
        try {
            return LOCAL_TIME.format(Instant.parse(raw).atZone(zone));
        } catch (DateTimeParseException e) {
            return raw;
        }
    }
}
