package org.screening.outreach.ivr;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fills {@code ${variable}} in prompt texts and builds the read-back of the answers given so far. */
final class Texts {
    static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z_]+)\\}");

    private Texts() {}

    static String fill(String text, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(variables.getOrDefault(m.group(1), "")));
        m.appendTail(out);
        return out.toString();
    }

    /** The variable of recorded audio: the code a community's recorded name is filed under. */
    static final String COMMUNITY_CODE = "community_code";

    /**
     * The sound files of a prompt for this call: {@code ${community_code}} filled in, and a file naming it left out
     * when the case's community has no registered name ("这里是……排查专班" then reads "这里是排查专班"). Null when
     * nothing is left to play.
     */
    static String audio(String audio, CallContext context) {
        if (audio == null) return null;
        List<String> files = new ArrayList<>();
        for (String file : audio.split(Prompt.AUDIO_SEPARATOR)) {
            if (file.contains("${" + COMMUNITY_CODE + "}") && context.communityCode().isEmpty()) continue;
            files.add(fill(file, Map.of(COMMUNITY_CODE, context.communityCode())));
        }
        return files.isEmpty() ? null : String.join(Prompt.AUDIO_SEPARATOR, files);
    }

    /** The variables of every prompt: the call's context plus the read-back of the answers so far. */
    static Map<String, String> variables(IvrScript script, Map<String, String> answers, CallContext context) {
        return Map.of("community", context.community(), "name", context.spokenName(),
                "readback", readback(script, answers));
    }

    /** Each answered gather that has a readback, in the order of the script, said with its label. */
    static String readback(IvrScript script, Map<String, String> answers) {
        List<String> parts = new ArrayList<>();
        java.util.Set<String> said = new java.util.HashSet<>();
        for (Step.Gather g : script.gathers()) {
            String value = answers.get(g.key());
            if (g.readback() == null || value == null || !said.add(g.key())) continue;
            String label = label(script, g, value);
            if (label != null) parts.add(fill(g.readback(), Map.of("answer", label)));
        }
        return String.join(script.readbackSeparator(), parts);
    }

    private static String label(IvrScript script, Step.Gather g, String value) {
        if (g.accept() == Step.Accept.DATE_OR_DAYS_AGO) {
            LocalDate date = LocalDate.parse(value);
            String pattern = g.dateFormat() == null ? "yyyy-MM-dd" : g.dateFormat();
            return DateTimeFormatter.ofPattern(pattern, Locale.forLanguageTag(script.language())).format(date);
        }
        return g.answers().values().stream().filter(c -> c.value().equals(value)).map(Step.Choice::label)
                .findFirst().orElse(null);
    }
}
