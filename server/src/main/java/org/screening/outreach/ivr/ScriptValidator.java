package org.screening.outreach.ivr;

import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Graph and content checks of a parsed script. Each one stands for a call that would go wrong in front of a
 * callee: a jump to a step that does not exist, a step nobody can reach (a question silently never asked), a
 * loop with no way to a hang-up (a line held until the carrier cuts it), a loop that never waits for keys (the
 * engine would spin), a variable the engine cannot fill (the callee would hear "dollar community").
 */
final class ScriptValidator {
    static final Set<String> PROMPT_VARIABLES = Set.of("community", "name", "readback");
    static final Set<String> READBACK_VARIABLES = Set.of("answer");

    private ScriptValidator() {}

    static void validate(IvrScript s) {
        if (!s.language().matches("[a-z]{2}(-[A-Z]{2})?")) {
            throw new IvrScriptException(s.source(), null, "language must look like zh-CN or en, not " + s.language());
        }
        if (!s.steps().containsKey(s.start())) {
            throw new IvrScriptException(s.source(), null, "start refers to unknown step '" + s.start() + "'");
        }
        for (Step step : s.steps().values()) {
            for (String target : step.successors()) {
                if (!s.steps().containsKey(target)) {
                    throw new IvrScriptException(s.source(), step.id(), "refers to unknown step '" + target + "'");
                }
            }
            checkContent(s, step);
        }
        Set<String> reachable = reachableFrom(s.start(), s);
        for (String id : s.steps().keySet()) {
            if (!reachable.contains(id)) throw new IvrScriptException(s.source(), id, "is unreachable from start '" + s.start() + "'");
        }
        Set<String> canEnd = canReachHangup(s);
        for (String id : s.steps().keySet()) {
            if (!canEnd.contains(id)) {
                throw new IvrScriptException(s.source(), id, "is in a loop without exit (no path from it reaches a hangup)");
            }
        }
        checkLoopsWait(s);
        if (s.apology() != null) checkApology(s, s.apology());
    }

    /**
     * The apology is said when the call's case could not be read (the database failed): no variable can be filled
     * then, so it has none, and its audio names fixed sound files.
     */
    private static void checkApology(IvrScript s, Prompt p) {
        if (Texts.VARIABLE.matcher(p.text()).find() || p.text().contains("${")) {
            throw new IvrScriptException(s.source(), null, "apology cannot use variables (it is said when the case could not be read)");
        }
        if (p.audio() == null) return;
        for (String file : p.audio().split(Prompt.AUDIO_SEPARATOR, -1)) {
            if (file.isBlank() || file.strip().length() != file.length() || file.contains(" ") || file.contains(".")
                    || file.contains("${")) {
                throw new IvrScriptException(s.source(), null, "apology audio \"" + p.audio() + "\" must be sound file names "
                        + "without extension, spaces or variables, joined by " + Prompt.AUDIO_SEPARATOR);
            }
        }
    }

    private static void checkContent(IvrScript s, Step step) {
        if (step instanceof Step.Say say) {
            checkPrompt(s, step, say.prompt());
        } else if (step instanceof Step.Hangup h) {
            if (h.prompt() != null) checkPrompt(s, step, h.prompt());
        } else if (step instanceof Step.Branch b) {
            boolean recorded = s.steps().values().stream().anyMatch(o ->
                    (o instanceof Step.Gather g && g.key().equals(b.key())) || (o instanceof Step.Record r && r.key().equals(b.key())));
            if (!recorded) throw new IvrScriptException(s.source(), step.id(), "branches on key '" + b.key() + "' that no step records");
        } else if (step instanceof Step.Gather g) {
            checkGather(s, g);
        }
    }

    private static void checkGather(IvrScript s, Step.Gather g) {
        checkPrompt(s, g, g.prompt());
        if (g.onSilence() != null) checkPrompt(s, g, g.onSilence());
        if (g.onInvalid() != null) checkPrompt(s, g, g.onInvalid());
        if (g.readback() != null) {
            checkVariables(s, g, g.readback(), READBACK_VARIABLES);
            if (g.accept() == Step.Accept.CHOICE && g.answers().values().stream().anyMatch(c -> c.label() == null)) {
                throw new IvrScriptException(s.source(), g.id(), "has a readback, so every answer needs a label");
            }
        }
        if (g.dateFormat() != null) {
            if (g.accept() != Step.Accept.DATE_OR_DAYS_AGO) {
                throw new IvrScriptException(s.source(), g.id(), "date_format only belongs to accept: date-or-days-ago");
            }
            try {
                DateTimeFormatter.ofPattern(g.dateFormat());
            } catch (IllegalArgumentException e) {
                throw new IvrScriptException(s.source(), g.id(), "date_format is not a date pattern: " + e.getMessage());
            }
        }
    }

    private static void checkPrompt(IvrScript s, Step step, Prompt p) {
        checkVariables(s, step, p.text(), PROMPT_VARIABLES);
        if (p.audio() == null) return;
        checkVariables(s, step, p.audio(), Set.of(Texts.COMMUNITY_CODE));
        for (String file : p.audio().split(Prompt.AUDIO_SEPARATOR, -1)) {
            if (file.isBlank() || file.strip().length() != file.length() || file.contains(" ") || file.contains(".")) {
                throw new IvrScriptException(s.source(), step.id(), "audio \"" + p.audio() + "\" must be sound file names "
                        + "without extension or spaces, joined by " + Prompt.AUDIO_SEPARATOR);
            }
        }
    }

    private static void checkVariables(IvrScript s, Step step, String text, Set<String> known) {
        Matcher m = Texts.VARIABLE.matcher(text);
        while (m.find()) {
            if (!known.contains(m.group(1))) {
                throw new IvrScriptException(s.source(), step.id(), "uses unknown variable ${" + m.group(1) + "}; known: " + known);
            }
        }
        if (text.replaceAll(Texts.VARIABLE.pattern(), "").contains("${")) {
            throw new IvrScriptException(s.source(), step.id(), "has a malformed variable in \"" + text + "\"");
        }
    }

    private static Set<String> reachableFrom(String start, IvrScript s) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (seen.add(id)) todo.addAll(s.step(id).successors());
        }
        return seen;
    }

    /** Backwards from every hangup: the steps from which the call can end. */
    private static Set<String> canReachHangup(IvrScript s) {
        Map<String, Set<String>> predecessors = new HashMap<>();
        for (Step step : s.steps().values()) {
            for (String t : step.successors()) predecessors.computeIfAbsent(t, k -> new HashSet<>()).add(step.id());
        }
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        s.steps().values().stream().filter(st -> st instanceof Step.Hangup).forEach(st -> todo.add(st.id()));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (seen.add(id)) todo.addAll(predecessors.getOrDefault(id, Set.of()));
        }
        return seen;
    }

    /** A cycle of steps that never wait (say/record/branch) would make one engine turn run forever. */
    private static void checkLoopsWait(IvrScript s) {
        Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        for (String id : s.steps().keySet()) visit(s, id, state);
    }

    private static void visit(IvrScript s, String id, Map<String, Integer> state) {
        Step step = s.step(id);
        if (step instanceof Step.Gather || state.getOrDefault(id, 0) == 2) return;
        if (state.getOrDefault(id, 0) == 1) {
            throw new IvrScriptException(s.source(), id, "is in a loop that never waits for keypad input");
        }
        state.put(id, 1);
        for (String next : step.successors()) visit(s, next, state);
        state.put(id, 2);
    }
}
