package org.screening.outreach.ivr;

/** A script that must not run; the message names the file and, where there is one, the step. */
public final class IvrScriptException extends RuntimeException {
    private final String file;
    private final String stepId;

    public IvrScriptException(String file, String stepId, String problem) {
        super(file + (stepId == null ? "" : ": step '" + stepId + "'") + ": " + problem);
        this.file = file;
        this.stepId = stepId;
    }

    public String file() { return file; }

    /** The offending step, or null when the problem is in the script's header. */
    public String stepId() { return stepId; }
}
