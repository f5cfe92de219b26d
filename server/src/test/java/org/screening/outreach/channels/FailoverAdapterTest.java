package org.screening.outreach.channels;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;

/** Only a provider that is down hands its attempt to the secondary; the number's own failures are final. */
class FailoverAdapterTest {
    static final OutboundAttempt CALL = new OutboundAttempt(5, "case", ChannelKind.VOICE, 1, "+8613800138000", "张三",
            Category.RED, "510104001001", Instant.parse("2022-04-01T02:00:00Z"));

    /** A provider that answers every attempt with one fixed report, counting what it was given. */
    record Fixed(String provider, AttemptOutcome outcome, Map<String, Object> details, List<Long> sent)
            implements ChannelAdapter {
        Fixed(String provider, AttemptOutcome outcome, Map<String, Object> details) {
            this(provider, outcome, details, new ArrayList<>());
        }

        public ChannelKind kind() { return ChannelKind.VOICE; }

        public Capacity capacity() { return new Capacity(provider.length(), 1); }

        public void send(OutboundAttempt a, OutcomeSink sink) {
            sent.add(a.attemptId());
            if (outcome == null) sink.accepted(a.attemptId(), provider + "-ref");
            else sink.report(a.attemptId(), outcome, details);
        }
    }

    final List<String> seen = new ArrayList<>();
    final OutcomeSink sink = new OutcomeSink() {
        public void report(long id, AttemptOutcome o, Map<String, Object> d) { seen.add("report " + o + " " + d.get("provider")); }

        public void accepted(long id, String ref) { seen.add("accepted " + ref); }

        public void note(long id, String type, Map<String, Object> data) {
            seen.add(type + " " + data.get("from") + ">" + data.get("to") + " " + data.get("reason"));
        }
    };

    @Test
    void aPrimaryThatIsDownHandsTheAttemptToTheSecondaryAndSaysSo() {
        Fixed primary = new Fixed("asterisk", AttemptOutcome.FAILED,
                Map.of("provider", "asterisk", "error", "ami_unavailable", OutcomeSink.PROVIDER_DOWN, true));
        Fixed secondary = new Fixed("twilio", null, Map.of());
        new FailoverAdapter(primary, secondary).send(CALL, sink);
        assertThat(seen).containsExactly("PROVIDER_FAILOVER asterisk>twilio ami_unavailable", "accepted twilio-ref");
        assertThat(secondary.sent()).containsExactly(5L);
    }

    @Test
    void aFailureOfTheNumberIsFinal() {
        Fixed primary = new Fixed("twilio", AttemptOutcome.FAILED, Map.of("provider", "twilio", "errorCode", 21211));
        Fixed secondary = new Fixed("asterisk", AttemptOutcome.ANSWERED, Map.of("provider", "asterisk"));
        new FailoverAdapter(primary, secondary).send(CALL, sink);
        assertThat(seen).containsExactly("report FAILED twilio");
        assertThat(secondary.sent()).isEmpty();
    }

    @Test
    void aWorkingPrimaryIsAllThereIs() {
        Fixed primary = new Fixed("asterisk", AttemptOutcome.BUSY, Map.of("provider", "asterisk"));
        Fixed secondary = new Fixed("twilio", null, Map.of());
        FailoverAdapter adapter = new FailoverAdapter(primary, secondary);
        adapter.send(CALL, sink);
        assertThat(seen).containsExactly("report BUSY asterisk");
        assertThat(adapter.capacity()).isEqualTo(primary.capacity());
        assertThat(adapter.provider()).isEqualTo("asterisk>twilio");
    }

    @Test
    void theSecondaryCarryingTheCallsDoesNotHideAPrimaryLinkThatIsDown() {
        java.util.concurrent.atomic.AtomicBoolean ami = new java.util.concurrent.atomic.AtomicBoolean(false);
        ChannelAdapter pbx = new ChannelAdapter() {
            public ChannelKind kind() { return ChannelKind.VOICE; }

            public String provider() { return "asterisk"; }

            public Capacity capacity() { return new Capacity(10, 1); }

            public void send(OutboundAttempt a, OutcomeSink sink) { }

            @Override
            public Map<String, java.util.function.BooleanSupplier> links() { return Map.of("asterisk", ami::get); }
        };
        FailoverAdapter adapter = new FailoverAdapter(pbx, new Fixed("twilio", null, Map.of()));
        assertThat(adapter.links()).containsOnlyKeys("asterisk", "twilio");
        assertThat(adapter.links().get("asterisk").getAsBoolean()).isFalse();
        assertThat(adapter.links().get("twilio").getAsBoolean()).isTrue();
        ami.set(true);
        assertThat(adapter.links().get("asterisk").getAsBoolean()).isTrue();
    }

    /** While the calls go to the secondary, the dispatcher is told the secondary's capacity, not the primary's. */
    @Test
    void theCapacityIsTheSecondarysWhileThePrimarysLinksAreDown() {
        java.util.concurrent.atomic.AtomicBoolean ami = new java.util.concurrent.atomic.AtomicBoolean(true);
        ChannelAdapter pbx = new ChannelAdapter() {
            public ChannelKind kind() { return ChannelKind.VOICE; }

            public String provider() { return "asterisk"; }

            public Capacity capacity() { return new Capacity(30, 5); }

            public void send(OutboundAttempt a, OutcomeSink sink) { }

            @Override
            public Map<String, java.util.function.BooleanSupplier> links() { return Map.of("asterisk", ami::get); }
        };
        Fixed twilio = new Fixed("twilio", null, Map.of());
        FailoverAdapter adapter = new FailoverAdapter(pbx, twilio);
        assertThat(adapter.capacity()).isEqualTo(new Capacity(30, 5));
        ami.set(false);
        assertThat(adapter.primaryDown()).isTrue();
        assertThat(adapter.capacity()).isEqualTo(twilio.capacity());
        ami.set(true);
        assertThat(adapter.capacity()).isEqualTo(new Capacity(30, 5));
    }

    /** A primary without a held link (Twilio's HTTP API) is down for as long as its answers say so. */
    @Test
    void theCapacityIsTheSecondarysWhileThePrimaryAnswersThatItIsDown() {
        java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean(true);
        ChannelAdapter api = new ChannelAdapter() {
            public ChannelKind kind() { return ChannelKind.VOICE; }

            public String provider() { return "twilio"; }

            public Capacity capacity() { return new Capacity(20, 1, false); }

            public void send(OutboundAttempt a, OutcomeSink sink) {
                if (failing.get()) {
                    sink.report(a.attemptId(), AttemptOutcome.FAILED, Map.of("httpStatus", 503, OutcomeSink.PROVIDER_DOWN, true));
                } else {
                    sink.accepted(a.attemptId(), "CA1");
                }
            }
        };
        Fixed pbx = new Fixed("asterisk", AttemptOutcome.BUSY, Map.of("provider", "asterisk"));
        FailoverAdapter adapter = new FailoverAdapter(api, pbx);
        assertThat(adapter.capacity()).isEqualTo(new Capacity(20, 1, false));

        adapter.send(CALL, sink);
        assertThat(pbx.sent()).containsExactly(5L);
        assertThat(adapter.capacity()).isEqualTo(pbx.capacity());

        failing.set(false);
        adapter.send(CALL, sink);
        assertThat(pbx.sent()).as("the primary took it").containsExactly(5L);
        assertThat(adapter.capacity()).isEqualTo(new Capacity(20, 1, false));
    }
}
