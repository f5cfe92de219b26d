package org.screening.outreach.dispatch;

/**
 * This node's part of limits that hold for the whole deployment: a Twilio account's messages and calls per second,
 * a PBX trunk's channels. Every dispatching node sharing the database takes an equal part, so N nodes together
 * stay within what one configured limit allows instead of N times it. The number of nodes comes from
 * {@link NodePresenceJob}; until it has looked, a node assumes it is alone.
 */
public final class NodeShare {
    private volatile int nodes = 1;

    /** A share for a single node (tests, and a deployment that never looks). */
    public static NodeShare alone() {
        return new NodeShare();
    }

    public int nodes() {
        return nodes;
    }

    void nodes(int n) {
        nodes = Math.max(1, n);
    }

    /** This node's part of a rate (per second). */
    public double rate(double total) {
        return total / nodes;
    }

    /**
     * This node's part of a count (concurrent calls, messages in flight): at least 1, so every node can still work
     * when there are more nodes than channels; rounded down otherwise, so together they never exceed the total.
     */
    public int count(int total) {
        return Math.max(1, total / nodes);
    }
}
