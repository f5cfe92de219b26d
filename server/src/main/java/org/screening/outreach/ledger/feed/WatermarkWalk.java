package org.screening.outreach.ledger.feed;

import java.time.Duration;
import java.time.Instant;

/**
 * How far a destination's scanner may move its watermark over ledger seqs it has just read.
 *
 * <p>Seqs are handed out when a transaction inserts, not when it commits: seq 11 may be visible while seq 10 is
 * still uncommitted (and 10 may never come, if its transaction rolls back). A watermark that jumped to 11 would
 * lose 10 for good, and its case's events would go out of order. So the watermark only moves over seqs that are
 * final. A contiguous run is final. A gap is final once it has been seen for {@code grace} (covering the instant
 * between a seq being allocated and its row existing) and a locking probe finds no open insert in it (the row of
 * an uncommitted insert is locked; a rolled-back one is gone). A long transaction therefore holds the feed back
 * until it ends; it never makes the feed skip its events.
 *
 * <p>State kept per destination: the watermark, and for a gap above it, when it was first seen and the highest
 * seq read at that moment ({@code gapTop}); one probe then settles every gap up to {@code gapTop} at once.
 */
public final class WatermarkWalk {
    private WatermarkWalk() {}

    /** True when no transaction holds an uncommitted ledger row with a seq in [from, to]. */
    public interface GapProbe {
        boolean settled(long from, long to);
    }

    /** The new state; {@code passed}: how many of the seqs read (a prefix) the watermark moved over. */
    public record Step(long watermark, Instant gapSince, long gapTop, int passed) {}

    /**
     * @param seqs seqs read after {@code watermark}, ascending (a bounded batch)
     */
    public static Step walk(long watermark, Instant gapSince, long gapTop, long[] seqs, Instant now, Duration grace,
                            GapProbe probe) {
        int i = 0;
        long w = watermark;
        while (true) {
            while (i < seqs.length && seqs[i] == w + 1) w = seqs[i++];
            if (i == seqs.length) return new Step(w, null, 0, i); // no gap in sight
            // A gap: seqs (w, seqs[i]) are not visible.
            boolean known = gapSince != null && gapTop > w;
            if (!known) return new Step(w, now, seqs[seqs.length - 1], i);
            if (now.isBefore(gapSince.plus(grace)) || !probe.settled(w + 1, gapTop)) {
                return new Step(w, gapSince, gapTop, i);
            }
            // Everything up to gapTop is final: pass every seq read up to there, then look further.
            while (i < seqs.length && seqs[i] <= gapTop) w = seqs[i++];
            if (i == seqs.length && w < gapTop) {
                // The batch ended before gapTop (new rows filled gaps); the rest is final too, next batch passes it.
                return new Step(w, gapSince, gapTop, i);
            }
            w = gapTop; // the seqs read reach past gapTop, so those in (w, gapTop] not read do not exist
            gapSince = null;
            gapTop = 0;
        }
    }
}
