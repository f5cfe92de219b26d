package org.screening.outreach.web.webhooks.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.screening.outreach.dispatch.BackgroundJob;
import org.screening.outreach.domain.Masking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies spooled callbacks once the database answers again, oldest first, deleting each file after it applied.
 * Runs on every node: a spool is the local disk of the node that took the callbacks.
 *
 * <p>A file that cannot be read, whose path no webhook serves, or that carries nothing to apply is set aside in
 * {@code failed/} at once. A callback that fails while the database answers (a bug, a row it cannot take) is tried
 * again on the next runs and set aside after {@link #TRIES}, so it cannot hold back the callbacks behind it for
 * ever; while the database does not answer, nothing is counted and the run stops where it is, keeping the order.
 */
public final class ReplaySpooledCallbacksJob implements BackgroundJob {
    private static final Logger LOG = LoggerFactory.getLogger(ReplaySpooledCallbacksJob.class);
    /** Failures with the database up before a callback is set aside: a deadlock twice in a row is rare, three rarer. */
    static final int TRIES = 3;

    private final WebhookSpool spool;
    private final Map<String, CallbackApplier> byPath;
    private final BooleanSupplier databaseUp;
    private final SpoolCounters counters;
    private final Map<Path, Integer> failures = new ConcurrentHashMap<>();

    /** {@code byPath}: the webhook that applies callbacks of each path; {@code databaseUp}: a cheap liveness query. */
    public ReplaySpooledCallbacksJob(WebhookSpool spool, Map<String, CallbackApplier> byPath, BooleanSupplier databaseUp,
                                     SpoolCounters counters) {
        this.spool = spool;
        this.byPath = Map.copyOf(byPath);
        this.databaseUp = databaseUp;
        this.counters = counters;
    }

    @Override
    public String name() {
        return "replay-webhook-spool";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(2);
    }

    @Override
    public int runOnce() {
        List<Path> files;
        try {
            files = spool.waiting();
        } catch (IOException e) {
            throw new UncheckedIOException("webhook spool not listed", e);
        }
        if (files.isEmpty() || !databaseUp.getAsBoolean()) return 0;
        int applied = 0;
        for (Path file : files) {
            Step step = replay(file);
            if (step == Step.STOP) break;
            if (step == Step.APPLIED) applied++;
        }
        if (applied > 0) LOG.info("{} spooled webhook callback(s) applied, {} waiting", applied, spool.waitingCount());
        return applied;
    }

    private enum Step { APPLIED, SET_ASIDE, GONE, STOP }

    private Step replay(Path file) {
        WebhookCallback callback;
        try {
            callback = spool.read(file);
        } catch (NoSuchFileException e) {
            failures.remove(file);
            return Step.GONE; // a process sharing the directory took it
        } catch (IOException | IllegalArgumentException e) {
            return setAside(file, "unreadable: " + e.getMessage());
        }
        CallbackApplier applier = byPath.get(callback.path());
        Optional<Runnable> work = applier == null ? Optional.empty() : applier.applying(callback);
        if (work.isEmpty()) return setAside(file, "nothing to apply for " + callback.path());
        try {
            work.get().run();
        } catch (RuntimeException e) {
            return failed(file, callback, e);
        }
        try {
            spool.applied(file);
        } catch (IOException e) { // applied again next run, which is harmless; the order still holds
            LOG.warn("spooled callback {} applied but not deleted: {}", file.getFileName(), e.toString());
            return Step.STOP;
        }
        failures.remove(file);
        counters.replayed().run();
        return Step.APPLIED;
    }

    private Step failed(Path file, WebhookCallback callback, RuntimeException e) {
        String why = Masking.redactNumbers(String.valueOf(e.getMessage()));
        if (!databaseUp.getAsBoolean()) {
            LOG.info("database unavailable again; {} spooled callback(s) keep waiting", spool.waitingCount());
            return Step.STOP;
        }
        int tries = failures.merge(file, 1, Integer::sum);
        if (tries >= TRIES) return setAside(file, "failed " + tries + " times with the database up: " + why);
        LOG.warn("spooled callback {} ({}) failed with the database up, try {} of {}: {}", file.getFileName(),
                callback.path(), tries, TRIES, why);
        return Step.STOP;
    }

    private Step setAside(Path file, String why) {
        try {
            spool.setAside(file);
        } catch (IOException e) {
            LOG.error("spooled callback {} cannot be set aside ({}): {}", file.getFileName(), why, e.toString());
            return Step.STOP;
        }
        failures.remove(file);
        counters.setAside().run();
        LOG.error("spooled callback {} set aside in failed/: {}", file.getFileName(), Masking.redactNumbers(why));
        return Step.SET_ASIDE;
    }
}
