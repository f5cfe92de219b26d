package org.screening.outreach.channels.sms;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.sms.OptOuts;

/**
 * An SMS channel that puts a number on our opt-out list when the provider refuses it as unsubscribed (Twilio 21610:
 * its owner sent STOP to one of the account's senders, perhaps one whose replies never reached us). Later reminders
 * are then skipped as opted out and the plan goes straight on to calls, and later campaigns leave the number out,
 * instead of each text being sent and refused.
 */
public final class UnsubscribedAtProvider implements ChannelAdapter {
    /** Twilio: "Attempt to send to unsubscribed recipient". */
    public static final int TWILIO_UNSUBSCRIBED = 21610;
    /** The opt-out row's source, for support's "why do I get nothing". */
    public static final String SOURCE = "provider_unsubscribed";
    private final ChannelAdapter sms;
    private final OptOuts optOuts;
    private final Executor writes;
    private final Clock clock;

    /** {@code writes}: where the list is written (database work, never on the thread that reports). */
    public UnsubscribedAtProvider(ChannelAdapter sms, OptOuts optOuts, Executor writes, Clock clock) {
        this.sms = sms;
        this.optOuts = optOuts;
        this.writes = writes;
        this.clock = clock;
    }

    @Override
    public ChannelKind kind() {
        return sms.kind();
    }

    @Override
    public String provider() {
        return sms.provider();
    }

    @Override
    public Capacity capacity() {
        return sms.capacity();
    }

    @Override
    public long retries() {
        return sms.retries();
    }

    @Override
    public Map<String, java.util.function.BooleanSupplier> links() {
        return sms.links();
    }

    @Override
    public void send(OutboundAttempt attempt, OutcomeSink sink) {
        sms.send(attempt, new OutcomeSink() {
            @Override
            public void report(long attemptId, AttemptOutcome outcome, Map<String, Object> details) {
                if (outcome == AttemptOutcome.FAILED && unsubscribed(details)) {
                    java.time.Instant at = clock.instant();
                    writes.execute(() -> optOuts.optOut(attempt.phone(), SOURCE, at));
                }
                sink.report(attemptId, outcome, details);
            }

            @Override
            public boolean stillWanted(long attemptId) {
                return sink.stillWanted(attemptId);
            }

            @Override
            public void accepted(long attemptId, String providerRef) {
                sink.accepted(attemptId, providerRef);
            }

            @Override
            public void dialling(long attemptId, String providerRef) {
                sink.dialling(attemptId, providerRef);
            }

            @Override
            public void note(long attemptId, String type, Map<String, Object> data) {
                sink.note(attemptId, type, data);
            }
        });
    }

    static boolean unsubscribed(Map<String, Object> details) {
        Object code = details == null ? null : details.get("errorCode");
        return code != null && String.valueOf(code).equals(String.valueOf(TWILIO_UNSUBSCRIBED));
    }
}
