package org.screening.outreach.channels.voice.asterisk;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.AttemptOutcome;

/** Keeps every outcome reported and every dialling mark, duplicates included, so tests can prove there were none. */
final class RecordingSink implements OutcomeSink {
    record Report(long attemptId, AttemptOutcome outcome, Map<String, Object> details) {}

    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private final List<Map.Entry<Long, String>> dialling = new CopyOnWriteArrayList<>();

    @Override
    public void report(long attemptId, AttemptOutcome outcome, Map<String, Object> details) {
        reports.add(new Report(attemptId, outcome, Map.copyOf(details)));
    }

    @Override
    public void dialling(long attemptId, String providerRef) {
        dialling.add(Map.entry(attemptId, providerRef));
    }

    /** Attempts marked dialling (attempt id → the provider's reference), in order, repeats included. */
    List<Map.Entry<Long, String>> dialling() {
        return List.copyOf(dialling);
    }

    List<Report> of(long attemptId) {
        return reports.stream().filter(r -> r.attemptId() == attemptId).toList();
    }

    Report only(long attemptId) {
        List<Report> r = of(attemptId);
        if (r.size() != 1) throw new AssertionError("expected one report of attempt " + attemptId + ", got " + r);
        return r.get(0);
    }

    List<Report> all() {
        return List.copyOf(reports);
    }
}
