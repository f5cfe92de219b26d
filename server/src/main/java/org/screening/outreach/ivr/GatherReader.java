package org.screening.outreach.ivr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Reads a {@code gather} step: the one step kind with many fields, so it has its own reader. */
final class GatherReader {
    private static final Set<String> FIELDS = Set.of("key", "prompt", "accept", "max_digits", "timeout", "retries",
            "on_silence", "on_invalid", "answers", "exhausted", "readback", "date_format");

    private GatherReader() {}

    static Step.Gather read(String id, YamlFields g, String next) {
        g.allowOnly(FIELDS);
        String acceptName = g.has("accept") ? g.text("accept") : "choice";
        Step.Accept accept = switch (acceptName) {
            case "choice" -> Step.Accept.CHOICE;
            case "date-or-days-ago" -> Step.Accept.DATE_OR_DAYS_AGO;
            default -> throw g.fail("accept must be choice or date-or-days-ago, not " + acceptName);
        };
        Map<String, Step.Choice> answers = new LinkedHashMap<>();
        int maxDigits;
        if (accept == Step.Accept.CHOICE) {
            if (!g.has("answers")) throw g.fail("answers is missing (a choice gather lists its valid keys)");
            if (next != null) throw g.fail("of a choice has no step-level next: each answer says where it goes");
            YamlFields a = g.object("answers");
            if (a.fieldNames().isEmpty()) throw g.fail("answers is empty");
            for (String keys : a.fieldNames()) {
                if (!keys.matches("[0-9*#]{1,20}")) throw g.fail("answers key '" + keys + "' is not keypad input");
                // '#' ends the entry (Twilio's finishOnKey, Asterisk's GET DATA) and is never part of the keys read.
                if (keys.contains("#")) {
                    throw g.fail("answers key '" + keys + "' holds '#', which ends an entry and cannot be an answer");
                }
                YamlFields c = a.object(keys);
                c.allowOnly(Set.of("value", "label", "next"));
                answers.put(keys, new Step.Choice(c.text("value"), c.optText("label"), c.text("next")));
            }
            int longest = answers.keySet().stream().mapToInt(String::length).max().orElse(1);
            maxDigits = g.integer("max_digits", longest, longest, 20);
        } else {
            if (g.has("answers")) throw g.fail("answers only belong to accept: choice");
            if (next == null) throw g.fail("next is missing (where the call goes after a valid date)");
            maxDigits = 8;
            if (g.has("max_digits")) g.integer("max_digits", 8, 8, 8);
        }
        return new Step.Gather(id, g.prompt("prompt"), g.text("key"), accept, maxDigits,
                g.integer("timeout", null, 1, 60), g.integer("retries", null, 0, 5),
                g.optPrompt("on_silence"), g.optPrompt("on_invalid"), answers, next, g.text("exhausted"),
                g.optText("readback"), g.optText("date_format"));
    }
}
