package org.screening.outreach.ivr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the fields of one YAML mapping of a script and turns every mistake into an {@link IvrScriptException}
 * naming the file and step, so a script author sees "step 'ask_travel': gather.timeout is missing" rather than
 * a Jackson stack trace.
 */
final class YamlFields {
    private final JsonNode node;
    private final String file;
    private final String stepId;
    private final String where;

    YamlFields(JsonNode node, String file, String stepId, String where) {
        this.node = node;
        this.file = file;
        this.stepId = stepId;
        this.where = where;
        if (node == null || !node.isObject()) throw fail("must be a mapping");
    }

    IvrScriptException fail(String problem) {
        return new IvrScriptException(file, stepId, (where.isEmpty() ? "" : where + " ") + problem);
    }

    private String name(String field) {
        return where.isEmpty() ? field : where + "." + field;
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    /** Typos such as {@code tiemout} would otherwise silently fall back to defaults. */
    void allowOnly(Set<String> known) {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(f -> { if (!known.contains(f)) unknown.add(f); });
        if (!unknown.isEmpty()) {
            throw new IvrScriptException(file, stepId, "unknown field(s) " + unknown + (where.isEmpty() ? "" : " in " + where)
                    + "; known: " + known);
        }
    }

    String text(String field) {
        String s = optText(field);
        if (s == null) throw new IvrScriptException(file, stepId, name(field) + " is missing");
        return s;
    }

    /**
     * Only quoted-or-plain strings and numbers: YAML 1.1 reads unquoted {@code yes}/{@code no} as booleans, which
     * would record "true" where the author meant "yes".
     */
    String optText(String field) {
        if (!has(field)) return null;
        JsonNode v = node.get(field);
        if (v.isBoolean()) throw new IvrScriptException(file, stepId, name(field) + " is a boolean; quote it, e.g. \"yes\"");
        if (!v.isValueNode()) throw new IvrScriptException(file, stepId, name(field) + " must be a text");
        String s = v.asText();
        if (s.isBlank()) throw new IvrScriptException(file, stepId, name(field) + " is empty");
        return s;
    }

    int integer(String field, Integer fallback, int min, int max) {
        if (!has(field)) {
            if (fallback == null) throw new IvrScriptException(file, stepId, name(field) + " is missing");
            return fallback;
        }
        JsonNode v = node.get(field);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IvrScriptException(file, stepId, name(field) + " must be a whole number");
        }
        int i = v.intValue();
        if (i < min || i > max) {
            throw new IvrScriptException(file, stepId, name(field) + " must be between " + min + " and " + max + ", not " + i);
        }
        return i;
    }

    YamlFields object(String field) {
        if (!has(field)) throw new IvrScriptException(file, stepId, name(field) + " is missing");
        return new YamlFields(node.get(field), file, stepId, name(field));
    }

    JsonNode raw(String field) {
        return node.get(field);
    }

    List<String> fieldNames() {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** A prompt mapping {@code {text, audio}}; a bare string is accepted as the text. */
    Prompt prompt(String field) {
        if (!has(field)) throw new IvrScriptException(file, stepId, name(field) + " is missing");
        JsonNode v = node.get(field);
        if (v.isTextual()) return new Prompt(text(field), null);
        YamlFields p = object(field);
        p.allowOnly(Set.of("text", "audio"));
        return new Prompt(p.text("text"), p.optText("audio"));
    }

    Prompt optPrompt(String field) {
        return has(field) ? prompt(field) : null;
    }
}
