package org.screening.outreach.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.CapacityForecast;
import org.screening.outreach.domain.ChannelKind;

/**
 * One SMS provider rate shared by case reminders and campaigns, cases first: reminders have deadlines, campaigns
 * do not. Every message of either kind takes a token from one bucket at the provider's rate, so together they
 * never outrun it. Campaigns take only spare tokens:
 * <ul>
 * <li>none while the case dispatcher's last claim came back full (more reminders are waiting for tokens);</li>
 * <li>at most {@code campaignShare} of the rate (a second bucket), so tokens keep accumulating for a reminder that
 *   arrives mid-campaign and it goes out at once instead of queueing behind campaign messages.</li>
 * </ul>
 * The case side is wired by handing the SMS dispatcher {@link #casesFirst(AttemptQueue)} instead of the queue
 * itself: its claims are capped by the shared tokens and tell whether reminders are backing up. Per process, like
 * the dispatcher's own pacing.
 */
public final class SmsRateShare {
    private final TokenBucket shared;
    private final TokenBucket campaignCap;
    private final double perSecond;
    private final double campaignShare;
    private final NodeShare nodes;
    private volatile boolean casesWaiting;

    public SmsRateShare(double perSecond, double campaignShare, Clock clock) {
        this(perSecond, campaignShare, clock, NodeShare.alone());
    }

    /** {@code perSecond} is the provider account's rate; this node uses its {@code nodes} share of it. */
    public SmsRateShare(double perSecond, double campaignShare, Clock clock, NodeShare nodes) {
        if (campaignShare <= 0 || campaignShare > 1) throw new IllegalArgumentException("campaign share must be in (0, 1]");
        this.perSecond = perSecond;
        this.campaignShare = campaignShare;
        this.nodes = nodes;
        this.shared = new TokenBucket(perSecond, Math.max(1, perSecond), clock);
        this.campaignCap = new TokenBucket(perSecond * campaignShare, Math.max(1, perSecond * campaignShare), clock);
    }

    /** How many campaign messages may go now, at most {@code wanted}; 0 while reminders wait. Takes nothing yet. */
    public synchronized int spareForCampaigns(int wanted) {
        follow();
        if (casesWaiting || wanted <= 0) return 0;
        return Math.max(0, Math.min(wanted, Math.min(shared.available(), campaignCap.available())));
    }

    /** Campaign messages actually handed to the provider. */
    public synchronized void spentByCampaigns(int n) {
        shared.take(n);
        campaignCap.take(n);
    }

    /** Whether the case dispatcher's last SMS claim used all it could (reminders may be waiting). */
    public boolean casesWaiting() {
        return casesWaiting;
    }

    private synchronized int casesMayTake(int limit) {
        follow();
        return Math.min(limit, shared.available());
    }

    /** This node's part of the provider's concurrent messages (campaign sends count against it too). */
    public int concurrency(int total) {
        return nodes.count(total);
    }

    /** Both buckets at this node's current share of the account's rate. */
    private void follow() {
        double mine = nodes.rate(perSecond);
        shared.setRate(mine);
        campaignCap.setRate(mine * campaignShare);
    }

    /** The queue as the SMS dispatcher should see it: SMS claims capped by, and counted against, the shared rate. */
    public AttemptQueue casesFirst(AttemptQueue queue) {
        return new AttemptQueue() {
            @Override
            public List<OutboundAttempt> claim(ChannelKind kind, Instant now, int limit, String owner, Instant leaseUntil) {
                if (kind != ChannelKind.SMS) return queue.claim(kind, now, limit, owner, leaseUntil);
                int n = casesMayTake(limit);
                if (n <= 0) {
                    casesWaiting = true; // unknown whether reminders wait; assume they do until a claim says no
                    return List.of();
                }
                List<OutboundAttempt> claimed = queue.claim(kind, now, n, owner, leaseUntil);
                synchronized (SmsRateShare.this) {
                    shared.take(claimed.size());
                }
                casesWaiting = claimed.size() >= n;
                return claimed;
            }

            @Override
            public int planNewCases(Instant now, int limit) {
                return queue.planNewCases(now, limit);
            }

            @Override
            public boolean complete(long attemptId, AttemptOutcome outcome, Map<String, Object> details, Instant now) {
                return queue.complete(attemptId, outcome, details, now);
            }

            @Override
            public boolean markSent(long attemptId, String providerRef, Instant now) {
                return queue.markSent(attemptId, providerRef, now);
            }

            @Override
            public void note(long attemptId, String type, Map<String, Object> data, Instant now) {
                queue.note(attemptId, type, data, now);
            }

            @Override
            public List<Long> callsSentBefore(Instant before, int limit) {
                return queue.callsSentBefore(before, limit);
            }

            @Override
            public int reapExpiredLeases(Instant now) {
                return queue.reapExpiredLeases(now);
            }

            @Override
            public int returnClaims(ChannelKind kind, String owner) {
                return queue.returnClaims(kind, owner);
            }

            @Override
            public int escalateDue(Instant now, int limit) {
                return queue.escalateDue(now, limit);
            }

            @Override
            public List<CapacityForecast.Waiting> waitingCalls(int limit) {
                return queue.waitingCalls(limit);
            }

            @Override
            public int countShortfall(String source, Instant since) {
                return queue.countShortfall(source, since);
            }

            @Override
            public int escalateNow(List<String> caseIds, String reason, Instant now) {
                return queue.escalateNow(caseIds, reason, now);
            }
        };
    }
}
