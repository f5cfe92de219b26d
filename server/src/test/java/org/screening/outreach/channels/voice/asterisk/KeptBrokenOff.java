package org.screening.outreach.channels.voice.asterisk;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.screening.outreach.ivr.BrokenOffCalls;

/** Broken-off calls kept by the AGI side, in memory: the attempt ids, in the order they were kept. */
final class KeptBrokenOff implements BrokenOffCalls {
    private final List<String> kept = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Void> keep(long attemptId, String provider) {
        kept.add(attemptId + " " + provider);
        return CompletableFuture.completedFuture(null);
    }

    /** "attempt provider" of each call kept. */
    List<String> kept() {
        return List.copyOf(kept);
    }
}
