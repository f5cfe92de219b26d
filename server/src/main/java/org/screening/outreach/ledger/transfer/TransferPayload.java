package org.screening.outreach.ledger.transfer;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.domain.Transfer;

/**
 * The bodies exchanged between peers (schemas "outreach.transfer/1" and "outreach.transfer-ack/1", documented in
 * README.md). A transfer carries the person in clear — the receiving jurisdiction must call them — and the case's
 * ledger so far, so the receiving staff see what was already tried.
 */
public final class TransferPayload {
    public static final String SCHEMA = "outreach.transfer/1";
    public static final String ACK_SCHEMA = "outreach.transfer-ack/1";

    private TransferPayload() {}

    /** What a peer handed to us, as read from its request. */
    public record Incoming(String transferId, String fromPrefix, String fromCaseId, String toJurisdiction, String reason,
                           String name, String phone, String idNumber, String category, String pushedAt,
                           int historyEvents, String language, java.time.Instant ackBy) {}

    public static byte[] transfer(Transfer t, String ownPrefix, RiskCase c, List<LedgerEvent> history) {
        JsonArray events = new JsonArray();
        for (LedgerEvent e : history) {
            events.add(new JsonObject().put("type", e.type()).put("at", e.at().toString()).put("actor", e.actor())
                    .put("data", new JsonObject(new java.util.HashMap<>(e.data()))));
        }
        JsonObject body = new JsonObject()
                .put("schema", SCHEMA)
                .put("transferId", t.id())
                .put("from", new JsonObject().put("jurisdiction", ownPrefix).put("caseId", c.id())
                        .put("caseJurisdiction", c.jurisdiction()))
                .put("to", new JsonObject().put("jurisdiction", t.toJurisdiction()))
                .put("reason", t.reason())
                .put("createdAt", t.createdAt().toString())
                .put("ackBy", t.ackBy().toString())
                .put("person", new JsonObject().put("name", c.name()).put("phone", c.phone())
                        .put("idNumber", c.idNumber()).put("category", c.category().name())
                        .put("pushedAt", c.pushedAt() == null ? null : c.pushedAt().toString())
                        .put("language", c.language().tag()))
                .put("history", events);
        return body.encode().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a transfer request; IllegalArgumentException with a message for the sender when it is malformed. */
    public static Incoming readTransfer(byte[] body) {
        JsonObject o = object(body);
        if (!SCHEMA.equals(o.getValue("schema"))) throw new IllegalArgumentException("schema must be " + SCHEMA);
        JsonObject from = child(o, "from");
        JsonObject to = child(o, "to");
        JsonObject person = child(o, "person");
        Object history = o.getValue("history");
        return new Incoming(text(o, "transferId", 26), text(from, "jurisdiction", 12), text(from, "caseId", 64),
                text(to, "jurisdiction", 12), text(o, "reason", 500),
                // May be empty, as at intake: a person is not dropped from screening for a missing name.
                java.util.Objects.requireNonNullElse(optional(person, "name", 100), ""),
                text(person, "phone", 40), optional(person, "idNumber", 40), text(person, "category", 40),
                optional(person, "pushedAt", 40), history instanceof JsonArray a ? a.size() : 0,
                optional(person, "language", 20), // absent from a peer of an earlier version: the default
                instant(o, "ackBy"));
    }

    /** An ISO-8601 time with its offset (2022-04-01T10:00:00+08:00 or …Z), or null when absent. */
    private static java.time.Instant instant(JsonObject o, String key) {
        String v = optional(o, key, 40);
        if (v == null) return null;
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 time with its offset");
        }
    }

    public static byte[] ack(Transfer in, String ownPrefix) {
        return new JsonObject().put("schema", ACK_SCHEMA).put("transferId", in.id()).put("jurisdiction", ownPrefix)
                .put("caseId", in.caseId()).encode().getBytes(StandardCharsets.UTF_8);
    }

    /** An acknowledgement: the transfer it confirms and the receiver's case id. */
    public record Ack(String transferId, String caseId) {}

    public static Ack readAck(byte[] body) {
        JsonObject o = object(body);
        if (!ACK_SCHEMA.equals(o.getValue("schema"))) throw new IllegalArgumentException("schema must be " + ACK_SCHEMA);
        return new Ack(text(o, "transferId", 26), text(o, "caseId", 64));
    }

    private static JsonObject object(byte[] body) {
        try {
            Object v = io.vertx.core.json.Json.decodeValue(new String(body, StandardCharsets.UTF_8));
            if (v instanceof JsonObject o) return o;
        } catch (DecodeException e) {
            throw new IllegalArgumentException("the body is not valid JSON");
        }
        throw new IllegalArgumentException("the body must be a JSON object");
    }

    private static JsonObject child(JsonObject o, String key) {
        if (o.getValue(key) instanceof JsonObject c) return c;
        throw new IllegalArgumentException(key + " must be an object");
    }

    private static String text(JsonObject o, String key, int max) {
        String v = optional(o, key, max);
        if (v == null || v.isBlank()) throw new IllegalArgumentException(key + " is required");
        return v;
    }

    private static String optional(JsonObject o, String key, int max) {
        Object v = o.getValue(key);
        if (v == null) return null;
        if (!(v instanceof String s)) throw new IllegalArgumentException(key + " must be a string");
        if (s.length() > max) throw new IllegalArgumentException(key + " is longer than " + max + " characters");
        return s;
    }
}
