package org.screening.outreach.domain;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Someone this deployment already knows to have reported themselves (报备) or to be under control (已纳入管控):
 * what newly pushed cases are compared with, so the same person is not screened twice (Sichuan §7). {@code caseId}
 * points at the case that made them known; a control-list row has none and is named by its source and external id.
 * {@code idNumber} may be null, {@code name} empty.
 */
public record KnownPerson(String id, Kind kind, String caseId, String source, String externalId, String name,
                          String phone, String idNumber, String jurisdiction, Instant knownAt) {

    public enum Kind {
        /** Reported through the self-report link of their case (the report reached the person). */
        SELF_REPORT(false),
        /** Pushed as an arrival (来返人员 / 社区报告): they reported themselves through the QR code. */
        ARRIVAL(false),
        /** A row of an "already under control" list (category 已纳入管控), imported or pushed. */
        CONTROL_LIST(true),
        /** A control measure (home / centralised isolation, health monitoring) reported on their case. */
        CONTROL_MEASURE(true);

        private final boolean underControl;

        Kind(boolean underControl) {
            this.underControl = underControl;
        }

        /**
         * Which newly pushed categories this knowledge makes a duplicate. Someone under control is not screened
         * again whatever the push says. A self-report answers only pushes about the same arrival (regional assist,
         * roaming, arrival: Sichuan's pushed data trail the self-reports by about 2 days); a red or yellow code or a
         * companion contact is new risk the report did not cover, so those are still screened.
         */
        public boolean covers(Category category) {
            return underControl || ARRIVAL_PUSHES.contains(category);
        }

        public boolean underControl() {
            return underControl;
        }
    }

    private static final Set<Category> ARRIVAL_PUSHES = EnumSet.of(Category.REGIONAL_ASSIST, Category.ROAMING,
            Category.ARRIVAL);

    /** The category values of a control-list row; such a row records a person, it is not a case to screen. */
    public static final List<String> CONTROL_LIST_CATEGORIES = List.of("UNDER_CONTROL", "已纳入管控", "已管控", "纳入管控");

    public static boolean isControlListCategory(String text) {
        if (text == null) return false;
        String t = text.strip();
        return CONTROL_LIST_CATEGORIES.contains(t) || CONTROL_LIST_CATEGORIES.get(0).equals(t.toUpperCase(Locale.ROOT));
    }

    /** A newly created arrival case: its person reported themselves. */
    public static Optional<KnownPerson> ofNewCase(RiskCase c) {
        if (c.category() != Category.ARRIVAL || !c.status().isOpen()) return Optional.empty();
        return Optional.of(fromCase(Kind.ARRIVAL, c, c.receivedAt()));
    }

    /**
     * What a step applied to a case makes known: a control measure reported by another system, or a self-report
     * by the person themselves (not one saying "not my number", which tells nothing about the risk person).
     */
    public static Optional<KnownPerson> fromStep(RiskCase c, CaseProgress.Step step) {
        for (LedgerEvent e : step.events()) {
            if (LedgerEvent.RESULT_REPORTED.equals(e.type())
                    && ExternalResult.parse(String.valueOf(e.data().get("result"))).map(ExternalResult::controlMeasure)
                    .orElse(false)) {
                return Optional.of(fromCase(Kind.CONTROL_MEASURE, c, e.at()));
            }
        }
        for (LedgerEvent e : step.events()) {
            if (LedgerEvent.SELF_REPORT.equals(e.type())
                    && FirstCheck.fromAnswers(answers(e.data())).followUps().contains(FollowUp.MARK_REACHED)) {
                return Optional.of(fromCase(Kind.SELF_REPORT, c, e.at()));
            }
        }
        return Optional.empty();
    }

    private static KnownPerson fromCase(Kind kind, RiskCase c, Instant at) {
        return new KnownPerson(CaseId.next(at), kind, c.id(), c.source(), c.externalId(), c.name(), c.phone(),
                c.idNumber(), c.jurisdiction(), at);
    }

    private static Map<String, String> answers(Map<String, Object> data) {
        Map<String, String> a = new HashMap<>();
        for (String k : FirstCheck.KEYS) if (data.get(k) != null) a.put(k, String.valueOf(data.get(k)));
        return a;
    }
}
