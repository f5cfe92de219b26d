package org.screening.outreach.privacy;

import java.time.Duration;
import org.screening.outreach.dispatch.BackgroundJob;

/**
 * Moves ID numbers off old keys after a key rotation (README, ID numbers at rest): on one node at a time, up to
 * {@link #BATCHES} batches every few seconds, until nothing is left under an old key.
 */
public final class IdKeyRotationJob implements BackgroundJob {
    static final int BATCHES = 10;
    private final IdKeyRotation rotation;

    public IdKeyRotationJob(IdKeyRotation rotation) {
        this.rotation = rotation;
    }

    @Override
    public String name() {
        return "id-key-rotation";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(5);
    }

    /** It walks whole tables; a second node would only rewrite the same rows. */
    @Override
    public boolean singleton() {
        return true;
    }

    @Override
    public int runOnce() {
        int total = 0;
        for (int i = 0; i < BATCHES; i++) {
            int n = rotation.step();
            if (n < 0) break;
            total += n;
        }
        return total;
    }
}
