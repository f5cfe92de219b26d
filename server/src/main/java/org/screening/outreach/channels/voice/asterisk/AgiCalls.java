package org.screening.outreach.channels.voice.asterisk;

import java.time.Clock;
import java.util.Optional;
import org.screening.outreach.ivr.IvrSession;

/**
 * The FastAGI sessions of the calls one PBX placed from this node: whether a session may run, and the report of the
 * call when its session ends here (it holds the answers). A session for a call this node does not track runs
 * untracked, and the node that placed the call reports it.
 */
final class AgiCalls implements IvrAgiScript.Sessions {
    private final LiveCalls calls;
    private final Originator originator;
    private final CallReports reports;
    private final Clock clock;

    AgiCalls(LiveCalls calls, Originator originator, CallReports reports, Clock clock) {
        this.calls = calls;
        this.originator = originator;
        this.reports = reports;
        this.clock = clock;
    }

    @Override
    public LiveCalls.AgiStart started(long attemptId) {
        return calls.agiStarted(attemptId, clock.instant());
    }

    @Override
    public void ended(long attemptId, Optional<IvrSession> session) {
        calls.agiEnded(attemptId, clock.instant()).ifPresent(ended -> reports.answered(ended, session));
        originator.dialWaiting();
    }

    @Override
    public void broke(long attemptId, Optional<IvrSession> stored, String error) {
        calls.agiEnded(attemptId, clock.instant()).ifPresent(ended -> reports.brokeOff(ended, stored, error));
        originator.dialWaiting();
    }

    @Override
    public String language(long attemptId) {
        return calls.attempt(attemptId).map(a -> a.language().tag()).orElse(null);
    }
}
