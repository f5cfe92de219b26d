package org.screening.outreach.web.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.screening.outreach.intake.CaseStore;
import org.screening.outreach.intake.CaseSubmission;
import org.screening.outreach.intake.IntakeListener;
import org.screening.outreach.intake.IntakeSummary;
import org.screening.outreach.intake.RowError;

/**
 * Builds the intake answer of the HTTP contract. A push is answered from memory; a file import writes its
 * {@code cases} list to a spool file as it goes, so a million-row answer never sits on the heap.
 */
public final class IntakeReplies {
    /** Beyond this many row errors (or warnings) only the count grows; the list says it was cut. */
    static final int MAX_LISTED_ERRORS = 100_000;

    public Collected collect() {
        return new Collected();
    }

    public Spooled spool(Path file) throws IOException {
        return new Spooled(file);
    }

    static JsonObject caseEntry(CaseSubmission row, CaseStore.Stored s) {
        JsonObject o = new JsonObject().put("row", row.row()).put("externalId", row.externalId()).put("id", s.caseId())
                .put("status", s.status().name()).put("outcome", s.outcome().name().toLowerCase(Locale.ROOT));
        if (s.duplicateOf() != null) o.put("duplicateOf", s.duplicateOf());
        return o;
    }

    static JsonObject errorEntry(RowError e) {
        return new JsonObject().put("row", e.row()).put("field", e.field()).put("message", e.message());
    }

    /** {@code shortfall}: the push's cases that cannot be phoned in time (null when no dispatcher runs here). */
    static JsonObject counts(IntakeSummary s, long extraRejectedRows, Listed rejected, Listed warnings,
                             Integer shortfall) {
        JsonObject o = new JsonObject().put("accepted", s.accepted()).put("duplicates", s.duplicates() + s.merged())
                .put("merged", s.merged()).put("rejectedRows", s.rejectedRows() + extraRejectedRows)
                .put("underControl", s.underControl()).put("controlListed", s.controlListed())
                .put("rejected", rejected.entries).put("warnings", warnings.entries);
        if (rejected.cut) o.put("rejectedListCut", true);
        if (warnings.cut) o.put("warningsListCut", true);
        if (shortfall != null) o.put("capacityShortfall", shortfall);
        return o;
    }

    /** Row errors or warnings as answered, up to {@code max} of them. */
    static final class Listed {
        private final int max;
        private final JsonArray entries = new JsonArray();
        private boolean cut;

        Listed(int max) {
            this.max = max;
        }

        void add(RowError e) {
            if (entries.size() < max) entries.add(errorEntry(e));
            else cut = true;
        }
    }

    /** In memory, for JSON pushes (bounded by the JSON body limit, so nothing is cut). */
    public static final class Collected implements IntakeListener {
        private final JsonArray cases = new JsonArray();
        private final Listed rejected = new Listed(Integer.MAX_VALUE);
        private final Listed warnings = new Listed(Integer.MAX_VALUE);

        @Override
        public void stored(CaseSubmission row, CaseStore.Stored stored) {
            cases.add(caseEntry(row, stored));
        }

        @Override
        public void rejected(RowError error) {
            rejected.add(error);
        }

        @Override
        public void warned(RowError warning) {
            warnings.add(warning);
        }

        /** Merged rows count as duplicates in the contract's {@code duplicates}; {@code merged} tells them apart. */
        public JsonObject toJson(IntakeSummary summary, long extraRejectedRows, Integer shortfall) {
            return counts(summary, extraRejectedRows, rejected, warnings, shortfall).put("cases", cases);
        }
    }

    /** On disk, for file imports; {@link #finish} completes the JSON document. */
    public static final class Spooled implements IntakeListener, AutoCloseable {
        private final BufferedWriter out;
        private final Listed rejected = new Listed(MAX_LISTED_ERRORS);
        private final Listed warnings = new Listed(MAX_LISTED_ERRORS);
        private boolean first = true;

        Spooled(Path file) throws IOException {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write("{\"cases\":[");
        }

        @Override
        public void stored(CaseSubmission row, CaseStore.Stored stored) {
            try {
                if (!first) out.write(',');
                first = false;
                out.write(caseEntry(row, stored).encode());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void rejected(RowError error) {
            rejected.add(error);
        }

        @Override
        public void warned(RowError warning) {
            warnings.add(warning);
        }

        public void finish(IntakeSummary summary, Integer shortfall) throws IOException {
            String tail = counts(summary, 0, rejected, warnings, shortfall).encode();
            out.write("],");
            out.write(tail, 1, tail.length() - 1); // the counts object without its opening brace
            out.close();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
