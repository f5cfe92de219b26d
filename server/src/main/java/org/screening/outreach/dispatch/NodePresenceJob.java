package org.screening.outreach.dispatch;

import java.time.Clock;
import java.time.Duration;

/**
 * Every 10 s each dispatching node says it is alive and learns how many are, for {@link NodeShare}. A node that
 * stops beating (killed) drops out after {@link #GONE} and the others take its share back; until then they run a
 * little under the limit, never over it.
 */
public final class NodePresenceJob implements BackgroundJob {
    static final Duration EVERY = Duration.ofSeconds(10);
    /** Three missed beats: a slow database or a GC pause must not make a live node look gone. */
    public static final Duration GONE = Duration.ofSeconds(35);
    private final NodePresence presence;
    private final NodeShare share;
    private final String node;
    private final Clock clock;

    public NodePresenceJob(NodePresence presence, NodeShare share, String node, Clock clock) {
        this.presence = presence;
        this.share = share;
        this.node = node;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "node-presence";
    }

    @Override
    public Duration every() {
        return EVERY;
    }

    @Override
    public int runOnce() {
        var now = clock.instant();
        int n = presence.beat(node, now, now.minus(GONE));
        share.nodes(n);
        return 0; // nothing "handled": job_items_total stays a measure of work
    }

    /** At a graceful stop: the other nodes take this node's share on their next beat. */
    @Override
    public int returnClaims() {
        presence.leave(node);
        return 0;
    }
}
