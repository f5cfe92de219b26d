package org.screening.outreach.ivr;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads an IVR script (YAML, format in {@code ivr-scripts/README.md}) and validates it before anything can call
 * with it: a bad script must stop the server's start, not a call in progress. Field-level mistakes are caught
 * here, graph mistakes by {@link ScriptValidator}; both throw {@link IvrScriptException} naming file and step.
 */
public final class ScriptLoader {
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().build()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> HEADER = Set.of("script", "version", "language", "start", "max_turns",
            "readback_separator", "description", "apology", "steps");
    private static final Set<String> KINDS = Set.of("say", "gather", "branch", "record", "hangup");

    private ScriptLoader() {}

    public static IvrScript load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IvrScriptException(file.toString(), null, "cannot be read: " + e.getMessage());
        }
        return parse(text, file.getFileName().toString());
    }

    /** Parses and validates; {@code fileName} only labels error messages. */
    public static IvrScript parse(String yaml, String fileName) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IvrScriptException(fileName, null, "is not valid YAML: " + e.getOriginalMessage());
        }
        YamlFields header = new YamlFields(root, fileName, null, "");
        header.allowOnly(HEADER);
        JsonNode list = header.raw("steps");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IvrScriptException(fileName, null, "steps is missing or empty (a list of steps)");
        }
        Map<String, Step> steps = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode node : list) {
            index++;
            Step step = step(node, fileName, index);
            if (steps.putIfAbsent(step.id(), step) != null) {
                throw new IvrScriptException(fileName, step.id(), "duplicate step id");
            }
        }
        IvrScript script = new IvrScript(header.text("script"), header.integer("version", null, 1, Integer.MAX_VALUE),
                header.text("language"), header.text("start"), header.integer("max_turns", 30, 1, 500),
                header.has("readback_separator") ? header.raw("readback_separator").asText() : ", ",
                steps, fileName, header.optPrompt("apology"));
        ScriptValidator.validate(script);
        return script;
    }

    private static Step step(JsonNode node, String file, int index) {
        if (node == null || !node.isObject() || !node.hasNonNull("id")) {
            throw new IvrScriptException(file, null, "step #" + index + " has no id");
        }
        String id = node.get("id").asText();
        YamlFields f = new YamlFields(node, file, id, "");
        Set<String> kinds = new java.util.TreeSet<>(f.fieldNames());
        kinds.retainAll(KINDS);
        if (kinds.size() != 1) {
            throw f.fail("must have exactly one of " + new java.util.TreeSet<>(KINDS) + ", has " + kinds);
        }
        String kind = kinds.iterator().next();
        return switch (kind) {
            case "say" -> {
                f.allowOnly(Set.of("id", "say", "next"));
                yield new Step.Say(id, f.prompt("say"), f.text("next"));
            }
            case "gather" -> {
                f.allowOnly(Set.of("id", "gather", "next"));
                yield GatherReader.read(id, f.object("gather"), f.optText("next"));
            }
            case "branch" -> {
                f.allowOnly(Set.of("id", "branch"));
                yield branch(id, f.object("branch"));
            }
            case "record" -> {
                f.allowOnly(Set.of("id", "record", "next"));
                YamlFields r = f.object("record");
                r.allowOnly(Set.of("key", "value"));
                yield new Step.Record(id, r.text("key"), r.text("value"), f.text("next"));
            }
            default -> {
                f.allowOnly(Set.of("id", "hangup"));
                JsonNode h = f.raw("hangup");
                boolean silent = h == null || h.isNull() || (h.isObject() && h.isEmpty());
                yield new Step.Hangup(id, silent ? null : f.prompt("hangup"));
            }
        };
    }

    private static Step.Branch branch(String id, YamlFields b) {
        b.allowOnly(Set.of("key", "cases", "otherwise"));
        YamlFields cases = b.object("cases");
        Map<String, String> targets = new LinkedHashMap<>();
        for (String value : cases.fieldNames()) {
            // YAML 1.1 turns an unquoted yes/no key into a boolean; the answer recorded is the text "yes".
            if (value.equals("true") || value.equals("false")) {
                throw b.fail("cases key " + value + " is a boolean; quote the answer value, e.g. \"yes\"");
            }
            targets.put(value, cases.text(value));
        }
        return new Step.Branch(id, b.text("key"), targets, b.text("otherwise"));
    }
}
