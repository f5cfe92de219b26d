package org.screening.outreach.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.dispatch.AttemptQueue;
import org.screening.outreach.dispatch.SmsRateShare;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.CapacityForecast;
import org.screening.outreach.domain.ChannelKind;

/** Test doubles shared by the campaign tests: an SMS adapter that records sends, and a queue of due reminders. */
final class SmsDoubles {
    private SmsDoubles() {}

    /** An SMS adapter of a given capacity; what it does with a message is the subclass's. */
    private abstract static class SmsDouble implements ChannelAdapter {
        private final String provider;
        private final Capacity capacity;

        SmsDouble(String provider, Capacity capacity) {
            this.provider = provider;
            this.capacity = capacity;
        }

        @Override
        public ChannelKind kind() {
            return ChannelKind.SMS;
        }

        @Override
        public String provider() {
            return provider;
        }

        @Override
        public Capacity capacity() {
            return capacity;
        }
    }

    /** Delivers at once and remembers the order: "case:<id>" or "campaign:<recipient id>". */
    static final class RecordingSms extends SmsDouble {
        final List<String> sent = new ArrayList<>();
        final List<String> phones = new ArrayList<>();

        RecordingSms(Capacity capacity) {
            super("sim", capacity);
        }

        @Override
        public synchronized void send(OutboundAttempt a, OutcomeSink sink) {
            sent.add((a.caseId() == null ? "campaign:" : "case:") + a.attemptId());
            phones.add(a.phone());
            sink.report(a.attemptId(), AttemptOutcome.DELIVERED, Map.of("provider", "test"));
        }
    }

    /**
     * While {@code down}, answers every send as the Twilio adapter does once its retries are spent on 5xx (nothing
     * was sent); a number in {@code refused} always gets Twilio's 21211 (invalid number); one in {@code unanswered}
     * fails as "may have gone" (Twilio's answer never came); otherwise delivers.
     */
    static final class FailingSms extends SmsDouble {
        final List<String> delivered = new ArrayList<>();
        final List<String> refused = new ArrayList<>();
        final List<String> unanswered = new ArrayList<>();
        volatile boolean down = true;

        FailingSms() {
            super("twilio", new Capacity(1000, 1000));
        }

        @Override
        public synchronized void send(OutboundAttempt a, OutcomeSink sink) {
            if (refused.contains(a.phone())) {
                sink.report(a.attemptId(), AttemptOutcome.FAILED, Map.of("provider", "twilio", "errorCode", 21211,
                        "httpStatus", 400));
            } else if (unanswered.contains(a.phone())) {
                sink.report(a.attemptId(), AttemptOutcome.FAILED, Map.of("provider", "twilio", "tries", 1,
                        "errorMessage", "no response", "maybeSent", true));
            } else if (down) {
                sink.report(a.attemptId(), AttemptOutcome.FAILED, Map.of("provider", "twilio", "httpStatus", 503,
                        "tries", 5, "retriesExhausted", true, OutcomeSink.PROVIDER_DOWN, true));
            } else {
                delivered.add(a.phone());
                sink.report(a.attemptId(), AttemptOutcome.DELIVERED, Map.of("provider", "twilio"));
            }
        }
    }

    /** Holds every message until the test lets Twilio's 201 come back for the oldest ones ({@link #accept}). */
    static final class HeldSms extends SmsDouble {
        private final List<Long> held = new ArrayList<>();
        private final List<OutcomeSink> sinks = new ArrayList<>();
        int sent;

        HeldSms(Capacity capacity) {
            super("twilio", capacity);
        }

        @Override
        public synchronized void send(OutboundAttempt a, OutcomeSink sink) {
            held.add(a.attemptId());
            sinks.add(sink);
            sent++;
        }

        synchronized void accept(int n) {
            for (int i = 0; i < n; i++) sinks.remove(0).accepted(held.get(0), "SM" + held.remove(0));
        }
    }

    /** {@code due} reminders waiting; claims hand them out in order. */
    static final class DueReminders implements AttemptQueue {
        int due;
        long next = 1;

        DueReminders(int due) {
            this.due = due;
        }

        @Override
        public List<OutboundAttempt> claim(ChannelKind kind, Instant now, int limit, String owner, Instant leaseUntil) {
            List<OutboundAttempt> out = new ArrayList<>();
            while (out.size() < limit && due > 0) {
                due--;
                out.add(new OutboundAttempt(next++, "CASE" + next, kind, 1, "+8613800000000", "张三", null, "510104001001", now));
            }
            return out;
        }

        @Override public int planNewCases(Instant now, int limit) { return 0; }
        @Override public boolean complete(long id, AttemptOutcome o, Map<String, Object> d, Instant now) { return true; }
        @Override public boolean markSent(long id, String ref, Instant now) { return true; }
        @Override public void note(long id, String type, Map<String, Object> data, Instant now) {}
        @Override public List<Long> callsSentBefore(Instant before, int limit) { return List.of(); }
        @Override public int reapExpiredLeases(Instant now) { return 0; }
        @Override public int returnClaims(ChannelKind kind, String owner) { return 0; }
        @Override public int escalateDue(Instant now, int limit) { return 0; }
        @Override public List<CapacityForecast.Waiting> waitingCalls(int limit) { return List.of(); }
        @Override public int countShortfall(String source, Instant since) { return 0; }
        @Override public int escalateNow(List<String> ids, String reason, Instant now) { return 0; }
    }

    static SmsRateShare share(double perSecond, java.time.Clock clock) {
        return new SmsRateShare(perSecond, 0.8, clock);
    }

    static final Duration TICK = Duration.ofMillis(200);
}
