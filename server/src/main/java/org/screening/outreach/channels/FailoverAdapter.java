package org.screening.outreach.channels;

import java.util.HashMap;
import java.util.Map;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.ChannelKind;

/**
 * A primary provider with a secondary behind it: every attempt goes to the primary; one the primary could not
 * place because it is down ({@link OutcomeSink#PROVIDER_DOWN}) goes to the secondary at once, noted in the case's
 * ledger as {@code PROVIDER_FAILOVER} (from, to, the primary's error). A failure of the number itself (invalid,
 * refused) is final: another provider would fail the same way.
 */
public final class FailoverAdapter implements ChannelAdapter {
    public static final String FAILOVER_EVENT = "PROVIDER_FAILOVER";
    private final ChannelAdapter primary;
    private final ChannelAdapter secondary;
    /** The primary's last word was that it is down (Twilio 5xx beyond retries, an AMI link lost). */
    private volatile boolean primaryFailing;

    public FailoverAdapter(ChannelAdapter primary, ChannelAdapter secondary) {
        if (primary.kind() != secondary.kind()) throw new IllegalArgumentException("failover across channel kinds");
        this.primary = primary;
        this.secondary = secondary;
    }

    @Override
    public ChannelKind kind() {
        return primary.kind();
    }

    @Override
    public String provider() {
        return primary.provider() + ">" + secondary.provider();
    }

    /** Both providers' links: the secondary carrying the calls must not hide the primary being down. */
    @Override
    public Map<String, java.util.function.BooleanSupplier> links() {
        Map<String, java.util.function.BooleanSupplier> both = new java.util.LinkedHashMap<>(primary.links());
        both.putAll(secondary.links());
        return both;
    }

    /**
     * The capacity of the provider carrying the attempts now: the primary's, but the secondary's while the primary is
     * down (every link it holds is down, or its last answer was that it is down), so the dispatcher sends no more
     * than the secondary can take. The next attempt the primary takes again brings its capacity back.
     */
    @Override
    public Capacity capacity() {
        return primaryDown() ? secondary.capacity() : primary.capacity();
    }

    /** Whether attempts go to the secondary now. */
    public boolean primaryDown() {
        if (primaryFailing) return true;
        Map<String, java.util.function.BooleanSupplier> held = primary.links();
        return !held.isEmpty() && held.values().stream().noneMatch(java.util.function.BooleanSupplier::getAsBoolean);
    }

    @Override
    public void send(OutboundAttempt attempt, OutcomeSink sink) {
        primary.send(attempt, new OutcomeSink() {
            @Override
            public void report(long attemptId, AttemptOutcome outcome, Map<String, Object> details) {
                boolean down = outcome == AttemptOutcome.FAILED && Boolean.TRUE.equals(details.get(PROVIDER_DOWN));
                primaryFailing = down;
                if (down) {
                    Map<String, Object> d = new HashMap<>();
                    d.put("attempt", attemptId);
                    d.put("from", primary.provider());
                    d.put("to", secondary.provider());
                    Object why = details.getOrDefault("error", details.get("httpStatus"));
                    if (why != null) d.put("reason", String.valueOf(why));
                    sink.note(attemptId, FAILOVER_EVENT, d);
                    secondary.send(attempt, sink);
                } else {
                    sink.report(attemptId, outcome, details);
                }
            }

            @Override
            public void accepted(long attemptId, String providerRef) {
                primaryFailing = false;
                sink.accepted(attemptId, providerRef);
            }

            @Override
            public void dialling(long attemptId, String providerRef) {
                primaryFailing = false;
                sink.dialling(attemptId, providerRef);
            }

            @Override
            public void note(long attemptId, String type, Map<String, Object> data) {
                sink.note(attemptId, type, data);
            }
        });
    }
}
