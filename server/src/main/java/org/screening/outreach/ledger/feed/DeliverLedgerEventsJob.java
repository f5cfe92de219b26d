package org.screening.outreach.ledger.feed;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.screening.outreach.dispatch.BackgroundJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims cases with events due (SKIP LOCKED, under a lease), sends each case's events one after the other in seq
 * order (cases in parallel), stops a case at its first failure, and settles every claim. At-least-once: a node
 * dying between send and settle leaves the lease to run out and the event is sent again, with the same event id.
 * Every node runs it, each delivering the cases it claimed.
 */
public final class DeliverLedgerEventsJob implements BackgroundJob {
    private static final Logger log = LoggerFactory.getLogger(DeliverLedgerEventsJob.class);
    static final int CASES_PER_RUN = 32;
    static final int EVENTS_PER_CASE = 20;
    private final LedgerFeedStore store;
    private final LedgerSender sender;
    private final FeedPayload payload;
    private final DeliveryRules rules;
    private final FeedCounters counters;
    private final Clock clock;
    private final Duration lease;

    public DeliverLedgerEventsJob(LedgerFeedStore store, LedgerSender sender, FeedPayload payload, DeliveryRules rules,
                                  FeedCounters counters, Clock clock, Duration timeout) {
        this.store = store;
        this.sender = sender;
        this.payload = payload;
        this.rules = rules;
        this.counters = counters;
        this.clock = clock;
        // Long enough for every event of a claim to time out once, so a slow receiver never loses us the claim.
        this.lease = timeout.multipliedBy(EVENTS_PER_CASE + 1).plusSeconds(30);
    }

    @Override
    public String name() {
        return "ledger-feed-deliver";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(1);
    }

    private record Run(CursorClaim claim, int sent, SendResult failure) {}

    @Override
    public int runOnce() {
        Instant now = clock.instant();
        List<CursorClaim> claims = store.claim(now, now.plus(lease), CASES_PER_RUN, EVENTS_PER_CASE);
        List<CompletableFuture<Run>> runs = new ArrayList<>();
        for (CursorClaim c : claims) runs.add(send(c, 0));
        int delivered = 0;
        for (CompletableFuture<Run> f : runs) {
            Run r = f.join(); // the sender never fails a future; requests end by their timeout
            Settlement s = rules.settle(r.claim(), r.sent(), r.failure(), clock.instant());
            if (!store.settle(s)) {
                log.info("ledger feed: claim on case {} to {} was lost (lease ran out); it will be sent again",
                        r.claim().caseId(), r.claim().destination());
                continue;
            }
            delivered += r.sent();
            for (int i = 0; i < r.sent(); i++) counters.delivered().run();
            if (r.failure() == null) continue;
            if (s.parked()) {
                counters.parked().run();
                log.warn("ledger feed: event {} to {} parked as failed: {}", r.claim().events().get(r.sent()).eventId(),
                        r.claim().destination(), s.lastError());
            } else {
                counters.retried().run();
            }
        }
        return delivered;
    }

    private CompletableFuture<Run> send(CursorClaim c, int i) {
        if (i == c.events().size()) return CompletableFuture.completedFuture(new Run(c, i, null));
        FeedEvent e = c.events().get(i);
        int attempt = i == 0 ? c.attempts() + 1 : 1;
        return sender.send(c.destination(), e.eventId(), attempt, payload.encode(e))
                .thenCompose(r -> r.delivered() ? send(c, i + 1) : CompletableFuture.completedFuture(new Run(c, i, r)));
    }
}
