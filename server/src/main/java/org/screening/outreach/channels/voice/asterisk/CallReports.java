package org.screening.outreach.channels.voice.asterisk;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.FirstCheck;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.ivr.Conversations;
import org.screening.outreach.ivr.IvrSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the calls of one PBX are reported to their sink: every outcome carries {@code provider} and {@code pbx}, and a
 * sink that cannot take one does not stop the adapter (the settling of unreported calls still settles the attempt).
 */
final class CallReports {
    private static final Logger LOG = LoggerFactory.getLogger(CallReports.class);

    private final String pbxName;

    CallReports(String pbxName) {
        this.pbxName = pbxName;
    }

    /** An answered call that ended: its answers ({@link Conversations#outcomeDetails}) and how long it lasted. */
    void answered(LiveCalls.Ended ended, Optional<IvrSession> session) {
        Map<String, Object> d = new HashMap<>(session.map(Conversations::outcomeDetails)
                .orElseGet(() -> Map.of(FirstCheck.IVR, IvrSession.Status.HUNG_UP.name())));
        d.putAll(facts(Map.of("durationSeconds", ended.durationSeconds())));
        if (!ended.agiHere()) d.put("agi", "not_on_this_node");
        LOG.info("call attempt={} ended ANSWERED after {} s (ivr {})", ended.call().id(), ended.durationSeconds(),
                d.get(FirstCheck.IVR));
        report(ended.call().sink, ended.call().id(), AttemptOutcome.ANSWERED, d);
    }

    /**
     * An answered call whose conversation broke off on our side. Not a first check (the callee heard the apology
     * instead of the questions): FAILED, so the plan calls again rather than taking a half-done call as reached. The
     * answers stored so far stay in the ledger and are repeated here; never providerDown: the PBX is fine, another
     * provider would fare no better.
     */
    void brokeOff(LiveCalls.Ended ended, Optional<IvrSession> stored, String error) {
        Map<String, Object> d = new HashMap<>(stored.map(IvrSession::answers).orElse(Map.of()));
        d.putAll(facts(Map.of("error", error, "durationSeconds", ended.durationSeconds())));
        if (!ended.agiHere()) d.put("agi", "not_on_this_node");
        LOG.warn("call attempt={} broke off after {} s ({}); reported FAILED for the retry plan", ended.call().id(),
                ended.durationSeconds(), error);
        report(ended.call().sink, ended.call().id(), AttemptOutcome.FAILED, d);
    }

    /** A call that was not placed ({@code error}); {@code ami_unavailable} says the provider is down. */
    void notPlaced(OutboundAttempt a, OutcomeSink sink, String error) {
        LOG.info("call attempt={} to={} not placed: {}", a.attemptId(), Masking.phone(a.phone()), error);
        Map<String, Object> d = new HashMap<>(Map.of("error", error));
        if (error.equals("ami_unavailable")) d.put(OutcomeSink.PROVIDER_DOWN, true);
        report(sink, a.attemptId(), AttemptOutcome.FAILED, facts(d));
    }

    /** Any other outcome, with the provider facts added to {@code more}. */
    void report(LiveCalls.Call call, AttemptOutcome outcome, Map<String, Object> more) {
        report(call.sink, call.id(), outcome, facts(more));
    }

    private Map<String, Object> facts(Map<String, Object> more) {
        Map<String, Object> d = new HashMap<>(more);
        d.put("provider", AsteriskVoiceAdapter.PROVIDER);
        d.put("pbx", pbxName);
        return d;
    }

    private static void report(OutcomeSink sink, long attemptId, AttemptOutcome outcome, Map<String, Object> details) {
        try {
            sink.report(attemptId, outcome, details);
        } catch (RuntimeException e) { // the receiver's problem; the lease or the settling job still settles the attempt
            LOG.warn("outcome of call attempt={} not taken: {}", attemptId, Masking.redactNumbers(String.valueOf(e.getMessage())));
        }
    }
}
