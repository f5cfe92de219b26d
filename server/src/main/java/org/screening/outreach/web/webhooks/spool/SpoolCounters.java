package org.screening.outreach.web.webhooks.spool;

/** Counters the spool bumps (metrics are wired outside): callbacks spooled, replayed from disk, set aside as failed. */
public record SpoolCounters(Runnable spooled, Runnable replayed, Runnable setAside) {
    public static SpoolCounters none() {
        Runnable nothing = () -> {};
        return new SpoolCounters(nothing, nothing, nothing);
    }
}
