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

    /** The primary's: the dispatcher plans for the provider that normally carries the calls. */
    @Override
    public Capacity capacity() {
        return primary.capacity();
    }

    @Override
    public void send(OutboundAttempt attempt, OutcomeSink sink) {
        primary.send(attempt, new OutcomeSink() {
            @Override
            public void report(long attemptId, AttemptOutcome outcome, Map<String, Object> details) {
                if (outcome == AttemptOutcome.FAILED && Boolean.TRUE.equals(details.get(PROVIDER_DOWN))) {
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
}
