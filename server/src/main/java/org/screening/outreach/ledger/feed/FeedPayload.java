package org.screening.outreach.ledger.feed;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.screening.outreach.domain.Masking;

/**
 * The JSON body of one feed request (schema "outreach.ledger-event/1", documented in README.md). Event data never
 * holds phone or ID numbers by design; should a future event put one under a well-known key, it leaves masked.
 */
public final class FeedPayload {
    public static final String SCHEMA = "outreach.ledger-event/1";
    private static final Set<String> PHONE_KEYS = Set.of("phone", "phoneNumber", "to", "from");
    private static final Set<String> ID_KEYS = Set.of("idNumber", "id_number");
    private final ZoneId zone;

    public FeedPayload(ZoneId zone) {
        this.zone = zone;
    }

    public byte[] encode(FeedEvent e) {
        JsonObject body = new JsonObject()
                .put("schema", SCHEMA)
                .put("eventId", e.eventId())
                .put("sequence", e.seq())
                .put("previousSequence", e.previousSeq() == 0 ? null : e.previousSeq())
                .put("case", new JsonObject().put("id", e.caseId()).put("source", e.source())
                        .put("externalId", e.externalId()).put("jurisdiction", e.jurisdiction()))
                .put("type", e.type())
                .put("at", time(e.at()))
                .put("actor", e.actor())
                .put("data", data(e.data()));
        return body.encode().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject data(Map<String, Object> data) {
        JsonObject out = new JsonObject();
        data.forEach((k, v) -> {
            // "from"/"to" of status changes and failovers are statuses and providers; mask only what looks like a number.
            // A street's or community's code (9 or 12 digits, TRANSFER_RECEIVED's sender) is no number of a person.
            if (v instanceof String s && PHONE_KEYS.contains(k) && s.matches("\\+?\\d{7,}") && !divisionCode(k, s)) {
                out.put(k, Masking.phone(s));
            } else if (v instanceof String s && ID_KEYS.contains(k)) out.put(k, Masking.idNumber(s));
            else out.put(k, v);
        });
        return out;
    }

    private static boolean divisionCode(String key, String value) {
        return (key.equals("from") || key.equals("to")) && value.matches("[1-9]\\d{8}|[1-9]\\d{11}");
    }

    private String time(Instant i) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(i.atZone(zone).toOffsetDateTime());
    }
}
