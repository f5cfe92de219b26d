package org.screening.outreach.ivr;

import java.util.List;
import java.util.Map;

/**
 * A loaded and validated IVR script: a versioned graph of steps in one language. {@code source} is the file it
 * came from, kept for error messages. {@code maxTurns} caps how many times one call may wait for keys, so a
 * confused callee cannot keep a line forever. {@code apology} is what the callee hears when the server cannot go on
 * with the call (its database fails mid-call), before it hangs up; null when the script has none.
 */
public record IvrScript(String id, int version, String language, String start, int maxTurns,
                        String readbackSeparator, Map<String, Step> steps, String source, Prompt apology) {
    public IvrScript {
        steps = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(steps));
    }

    /** A script without an apology of its own. */
    public IvrScript(String id, int version, String language, String start, int maxTurns, String readbackSeparator,
                     Map<String, Step> steps, String source) {
        this(id, version, language, start, maxTurns, readbackSeparator, steps, source, null);
    }

    public Step step(String stepId) {
        Step s = steps.get(stepId);
        if (s == null) throw new IllegalArgumentException(source + ": no step '" + stepId + "'");
        return s;
    }

    /** Gathers in file order: the read-back lists answers in the order the questions are asked. */
    public List<Step.Gather> gathers() {
        return steps.values().stream().filter(s -> s instanceof Step.Gather).map(s -> (Step.Gather) s).toList();
    }
}
