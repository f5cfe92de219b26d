package org.screening.outreach.domain;

import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The de-duplication rule (Sichuan §7: regional-assist pushes are compared with earlier self-reports, and people
 * already under control are not pushed to the community again). A newly pushed case is someone already known when
 * <ol>
 *   <li>both carry an ID number and the numbers are equal (rule {@code ID_NUMBER}); or</li>
 *   <li>at least one has no ID number, the phones are equal and the names are equal once spaces, middle dots and
 *       letter case are ignored, the name not empty (rule {@code PHONE_AND_NAME});</li>
 * </ol>
 * and they became known at most {@code window} before the case was received, by something that covers the case's
 * category ({@link KnownPerson.Kind#covers}). Two different ID numbers are two people whatever phone and name say:
 * a family shares one phone. The window applies to both rules: being under control is a state that ends (the
 * seeds' isolation lasts 7 days), so older knowledge no longer spares a screening.
 */
public final class ControlMatch {
    /**
     * OUTREACH_DEDUP_DAYS' default, 7 days: the seeds' isolation ("7天集中隔离或7天居家隔离", Qianjiang notice) and the
     * 7-day travel history the first check asks about. Longer would spare someone whose control has ended from a
     * push about a new exposure; the ~2 days pushed data trail self-reports by fit well inside it.
     */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    /** Who closes the duplicate in the ledger: this rule, not the pusher. */
    public static final String ACTOR = "dedup";

    public enum Rule { ID_NUMBER, PHONE_AND_NAME }

    public record Match(KnownPerson person, Rule rule) {}

    private final Duration window;

    public ControlMatch(Duration window) {
        if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be positive");
        this.window = window;
    }

    public Duration window() {
        return window;
    }

    /** The earliest time someone may have become known and still match a case received at {@code receivedAt}. */
    public Instant knownSince(Instant receivedAt) {
        return receivedAt.minus(window);
    }

    /**
     * The best match of {@code c} among {@code known}: by ID number before phone and name, under control before
     * self-reported, the most recent first.
     */
    public Optional<Match> find(RiskCase c, Collection<KnownPerson> known) {
        Match best = null;
        String nameKey = null;
        for (KnownPerson k : known) {
            if (!k.kind().covers(c.category()) || k.knownAt().isBefore(knownSince(c.receivedAt()))) continue;
            Rule rule;
            if (c.idNumber() != null && k.idNumber() != null) {
                if (!c.idNumber().equalsIgnoreCase(k.idNumber())) continue;
                rule = Rule.ID_NUMBER;
            } else {
                if (!c.phone().equals(k.phone())) continue;
                if (nameKey == null) nameKey = nameKey(c.name());
                if (nameKey.isEmpty() || !nameKey.equals(nameKey(k.name()))) continue;
                rule = Rule.PHONE_AND_NAME;
            }
            Match m = new Match(k, rule);
            if (best == null || better(m, best)) best = m;
        }
        return Optional.ofNullable(best);
    }

    /**
     * The people a batch of new cases may match, kept by ID number and by phone, so each case looks only at those
     * that share one with it (a batch grows by its own list rows and arrivals as it goes).
     */
    public static final class People {
        private final Map<String, List<KnownPerson>> byIdNumber = new HashMap<>();
        private final Map<String, List<KnownPerson>> byPhone = new HashMap<>();

        public People(Collection<KnownPerson> known) {
            known.forEach(this::add);
        }

        public void add(KnownPerson k) {
            if (k.idNumber() != null) {
                byIdNumber.computeIfAbsent(k.idNumber().toUpperCase(Locale.ROOT), x -> new ArrayList<>()).add(k);
            }
            byPhone.computeIfAbsent(k.phone(), x -> new ArrayList<>()).add(k);
        }

        /** Those sharing an ID number or a phone with {@code c} (one found both ways comes twice). */
        public List<KnownPerson> sharingWith(RiskCase c) {
            List<KnownPerson> byId = c.idNumber() == null ? null : byIdNumber.get(c.idNumber().toUpperCase(Locale.ROOT));
            List<KnownPerson> byTel = byPhone.get(c.phone());
            if (byId == null) return byTel == null ? List.of() : byTel;
            if (byTel == null) return byId;
            List<KnownPerson> both = new ArrayList<>(byId);
            both.addAll(byTel);
            return both;
        }
    }

    private static boolean better(Match a, Match b) {
        if (a.rule() != b.rule()) return a.rule() == Rule.ID_NUMBER;
        boolean ac = a.person().kind().underControl();
        if (ac != b.person().kind().underControl()) return ac;
        int t = a.person().knownAt().compareTo(b.person().knownAt());
        return t != 0 ? t > 0 : a.person().id().compareTo(b.person().id()) > 0;
    }

    /**
     * A name as compared: NFKC (full-width letters and the ideographic space fold), no whitespace, no middle dot
     * or period (阿卜杜·热合曼 = 阿卜杜热合曼), lower case. Empty for a missing name.
     */
    public static String nameKey(String name) {
        if (name == null || name.isEmpty()) return "";
        String n = Normalizer.normalize(name, Normalizer.Form.NFKC);
        StringBuilder b = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char ch = n.charAt(i);
            if (Character.isWhitespace(ch) || Character.isSpaceChar(ch) || Character.isISOControl(ch)) continue;
            if (ch == '·' || ch == '•' || ch == '・' || ch == '‧' || ch == '.' || ch == '-') continue;
            b.append(ch);
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /** A new case closed as soon as it is received: its ledger after RECEIVED, and the case as stored. */
    public record Duplicate(RiskCase closed, List<LedgerEvent> events) {}

    /**
     * Closes a new case that matched: a DUPLICATE_UNDER_CONTROL event pointing at who it matched and by which rule
     * (ids only, no personal data: the ledger feed carries these events), then the status machine's own way to a
     * close, NEW → UNDER_CONTROL → VERIFIED → CLOSED, so reports and the feed read it like any closed case.
     */
    public static Duplicate close(RiskCase c, Match m, Instant now) {
        KnownPerson k = m.person();
        Map<String, Object> d = new HashMap<>();
        d.put("rule", m.rule().name());
        d.put("matchedKind", k.kind().name());
        d.put("matchedEntry", k.id());
        d.put("knownAt", k.knownAt().toString());
        if (k.caseId() != null) d.put("matchedCaseId", k.caseId());
        if (k.caseId() == null && k.source() != null) {
            d.put("matchedSource", k.source());
            d.put("matchedExternalId", k.externalId());
        }
        String pointer = pointer(k);
        List<LedgerEvent> events = new ArrayList<>();
        events.add(new LedgerEvent(c.id(), LedgerEvent.DUPLICATE_UNDER_CONTROL, now, ACTOR, d));
        String why = (m.rule() == Rule.ID_NUMBER ? "same ID number as " : "same phone and name as ") + pointer;
        RiskCase.StatusChange controlled = c.moveTo(CaseStatus.UNDER_CONTROL, now, ACTOR, "already known: " + why);
        RiskCase.StatusChange verified = controlled.after().moveTo(CaseStatus.VERIFIED, now, ACTOR,
                "verified by match: " + why);
        RiskCase.StatusChange closed = verified.after().moveTo(CaseStatus.CLOSED, now, ACTOR, "duplicate under control");
        events.add(controlled.event());
        events.add(verified.event());
        events.add(closed.event());
        return new Duplicate(closed.after(), events);
    }

    private static String pointer(KnownPerson k) {
        return switch (k.kind()) {
            case SELF_REPORT -> "the self-report of case " + k.caseId();
            case ARRIVAL -> "the arrival report of case " + k.caseId();
            case CONTROL_MEASURE -> "the control measure on case " + k.caseId();
            case CONTROL_LIST -> "control-list row " + k.source() + "/" + k.externalId();
        };
    }
}
