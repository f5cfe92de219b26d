package org.screening.outreach.intake;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Takes pushed rows (JSON or file), validates each, and stores the good ones in batches; a bad row never stops
 * the good ones and re-sending the same rows changes nothing.
 */
public final class IntakeService {
    static final String ID_TAKEN = "this source already gave this externalId to another person (another phone or "
            + "community): give each person an id of their own, or import under another source";
    private final CaseStore store;
    private final CaseValidator validator;
    private final Clock clock;
    private final int batchSize;
    private final Executor storeWorkers;
    private final int batchesInFlight;

    /** Stores each batch on the calling thread before reading on. */
    public IntakeService(CaseStore store, CaseValidator validator, Clock clock, int batchSize) {
        this(store, validator, clock, batchSize, Runnable::run, 1);
    }

    /**
     * Stores up to {@code batchesInFlight} batches at once on {@code storeWorkers} while the next rows are read and
     * checked. Answers still come in row order. Concurrent batches that collide on a duplicate are retried by the
     * store, so one of two equal rows in flight together may be the one reported as the duplicate.
     */
    public IntakeService(CaseStore store, CaseValidator validator, Clock clock, int batchSize, Executor storeWorkers,
                         int batchesInFlight) {
        this.store = store;
        this.validator = validator;
        this.clock = clock;
        this.batchSize = batchSize;
        this.storeWorkers = storeWorkers;
        this.batchesInFlight = batchesInFlight;
    }

    /** Source names are stable ids of the pushing system: letters, digits and {@code . _ : -}. */
    public static String sourceProblem(String source) {
        if (source == null || source.isBlank()) return "source is required";
        if (source.length() > 64) return "source is longer than 64 characters";
        if (!source.matches("[\\p{L}\\p{N}._:\\-]+")) return "source may contain only letters, digits and . _ : -";
        return null;
    }

    /** Feeds a sequence of rows (pushed by {@code rows}) through validation and storage. */
    public IntakeSummary ingest(String source, String scopePrefix, String actor,
                                Consumer<Consumer<CaseSubmission>> rows, IntakeListener listener) {
        Batch batch = new Batch(source, scopePrefix, actor, listener);
        try {
            rows.accept(batch::add);
            batch.finish();
        } finally {
            batch.cancelRest();
        }
        return new IntakeSummary(batch.accepted, batch.duplicates, batch.merged, batch.rejected, batch.underControl,
                batch.controlListed);
    }

    /** Reads a file twice: first to find structural damage before anything is stored, then to store it. */
    public IntakeSummary ingestFile(CaseFile file, String source, String scopePrefix, String actor,
                                    IntakeListener listener) throws CaseFileException {
        file.read(row -> { });
        CaseFileException[] late = new CaseFileException[1];
        IntakeSummary summary = ingest(source, scopePrefix, actor, sink -> {
            try {
                file.read(sink);
            } catch (CaseFileException e) {
                late[0] = e; // the file changed between passes; what was stored stays idempotent
            }
        }, listener);
        if (late[0] != null) throw late[0];
        return summary;
    }

    /** The database keeps milliseconds; so do we, so what is answered equals what is read back. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private final class Batch {
        private final String source;
        private final String scopePrefix;
        private final String actor;
        private final IntakeListener listener;
        private final Deque<Pending> inFlight = new ArrayDeque<>();
        private List<CaseSubmission> rows = new ArrayList<>();
        private List<Candidate> candidates = new ArrayList<>();
        long accepted;
        long duplicates;
        long merged;
        long rejected;
        long underControl;
        long controlListed;

        private record Pending(List<CaseSubmission> rows, FutureTask<List<CaseStore.Stored>> stored) {}

        Batch(String source, String scopePrefix, String actor, IntakeListener listener) {
            this.source = source;
            this.scopePrefix = scopePrefix;
            this.actor = actor;
            this.listener = listener;
        }

        void add(CaseSubmission row) {
            CaseValidator.Checked checked = validator.check(row, source, scopePrefix, now());
            try {
                checked.warnings().forEach(listener::warned);
                checked.errors().forEach(listener::rejected);
            } catch (RuntimeException e) {
                throw new IntakeAbort(e);
            }
            if (checked.candidate() == null) {
                rejected++;
                return;
            }
            rows.add(row);
            candidates.add(checked.candidate());
            if (candidates.size() >= batchSize) submit();
        }

        void submit() {
            if (candidates.isEmpty()) return;
            List<Candidate> batch = candidates;
            Instant at = now();
            FutureTask<List<CaseStore.Stored>> task = new FutureTask<>(() -> store.store(source, batch, at, actor));
            inFlight.add(new Pending(rows, task));
            rows = new ArrayList<>();
            candidates = new ArrayList<>();
            try {
                storeWorkers.execute(task);
            } catch (RejectedExecutionException e) {
                throw new IntakeAbort(e);
            }
            while (inFlight.size() >= batchesInFlight) report(inFlight.poll());
        }

        void finish() {
            submit();
            while (!inFlight.isEmpty()) report(inFlight.poll());
        }

        void cancelRest() {
            inFlight.forEach(p -> p.stored().cancel(false));
        }

        private void report(Pending p) {
            List<CaseStore.Stored> stored;
            try {
                stored = p.stored().get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IntakeAbort a ? a : new IntakeAbort(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IntakeAbort(e);
            }
            try {
                for (int i = 0; i < stored.size(); i++) {
                    CaseStore.Stored s = stored.get(i);
                    if (s.outcome() == CaseStore.Outcome.ID_TAKEN) {
                        rejected++;
                        listener.rejected(new RowError(p.rows().get(i).row(), "externalId", ID_TAKEN));
                        continue;
                    }
                    switch (s.outcome()) {
                        case CREATED -> accepted++;
                        case DUPLICATE -> duplicates++;
                        case MERGED -> merged++;
                        case DUPLICATE_UNDER_CONTROL -> {
                            accepted++;
                            underControl++;
                        }
                        case CONTROL_LISTED -> controlListed++;
                        case ID_TAKEN -> throw new IllegalStateException("reported above");
                    }
                    listener.stored(p.rows().get(i), s);
                }
            } catch (RuntimeException e) {
                throw new IntakeAbort(e);
            }
        }
    }
}
