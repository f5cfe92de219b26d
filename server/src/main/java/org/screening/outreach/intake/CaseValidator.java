package org.screening.outreach.intake;

import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.screening.outreach.domain.CaseId;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.Deadlines;
import org.screening.outreach.domain.Jurisdiction;
import org.screening.outreach.domain.KnownPerson;
import org.screening.outreach.domain.ResidentIdNumber;
import org.screening.outreach.domain.RiskCase;

/**
 * Checks one submitted row and builds the new case, or lists every problem of the row by field.
 * Name and ID number may be empty: a person must not be dropped from screening for a missing name.
 */
public final class CaseValidator {
    private final PhoneNormaliser phones = new PhoneNormaliser();
    private final PushedAtParser pushedAt;
    private final Deadlines deadlines;

    public CaseValidator(Deadlines deadlines, ZoneId zone) {
        this.deadlines = deadlines;
        this.pushedAt = new PushedAtParser(zone);
    }

    /**
     * The row as a candidate for the store, or its errors (then {@code candidate} is null); {@code warnings} name what
     * was left out of the row without keeping it out.
     */
    public record Checked(Candidate candidate, List<RowError> errors, List<RowError> warnings) {}

    public Checked check(CaseSubmission s, String source, String scopePrefix, Instant now) {
        List<RowError> errors = new ArrayList<>();
        String externalId = clean(s.externalId());
        if (externalId.isEmpty()) errors.add(new RowError(s.row(), "externalId", "externalId is empty"));
        else if (externalId.length() > 128) errors.add(new RowError(s.row(), "externalId", "externalId is longer than 128 characters"));

        String name = clean(s.name());
        if (name.length() > 100) errors.add(new RowError(s.row(), "name", "name is longer than 100 characters"));

        PhoneNormaliser.Result phone = phones.normalise(s.phone());
        if (phone.problem() != null) errors.add(new RowError(s.row(), "phone", phone.problem()));

        String idNumber = clean(s.idNumber()).toUpperCase(java.util.Locale.ROOT);
        if (!idNumber.isEmpty()) {
            String problem = ResidentIdNumber.problem(idNumber);
            if (problem != null) errors.add(new RowError(s.row(), "idNumber", problem));
        }

        boolean controlListed = KnownPerson.isControlListCategory(clean(s.category()));
        Optional<Category> category = Category.parse(clean(s.category()));
        if (controlListed) {
            if (idNumber.isEmpty() && name.isEmpty()) {
                // Nothing to match a later push with: an under-control person is matched by ID, or by phone and name.
                errors.add(new RowError(s.row(), "idNumber", "an under-control row needs an ID number or a name"));
            }
        } else if (category.isEmpty()) {
            errors.add(new RowError(s.row(), "category", clean(s.category()).isEmpty() ? "category is empty"
                    : "unknown category; use 红码, 黄码, 区域协查, 时空伴随, 省际漫游, 来返人员, 已纳入管控 or their codes"));
        }

        String jurisdiction = clean(s.jurisdiction());
        if (!Jurisdiction.isValidCode(jurisdiction)) {
            errors.add(new RowError(s.row(), "jurisdiction", "jurisdiction must be a 12-digit division code"));
        } else if (!Jurisdiction.covers(scopePrefix, jurisdiction)) {
            errors.add(new RowError(s.row(), "jurisdiction", "jurisdiction is outside your scope " + scopePrefix));
        }

        Instant pushed = null;
        List<RowError> warnings = List.of();
        try {
            pushed = pushedAt.parse(clean(s.pushedAt()));
        } catch (DateTimeException e) {
            // The deadline counts from receipt, not from the push, so a push time that cannot be read is no reason
            // to leave a person unscreened: the row goes on without it.
            warnings = List.of(new RowError(s.row(), "pushedAt",
                    e.getMessage() + "; the row was taken without a push time, its deadline counts from receipt"));
        }

        Optional<CaseLanguage> language = CaseLanguage.parse(clean(s.language()));
        if (language.isEmpty()) {
            errors.add(new RowError(s.row(), "language", "unknown language; use " + CaseLanguage.ACCEPTED));
        }

        if (!errors.isEmpty()) return new Checked(null, errors, warnings);
        if (controlListed) {
            return new Checked(Candidate.controlListed(new KnownPerson(CaseId.next(now), KnownPerson.Kind.CONTROL_LIST,
                    null, source, externalId, name, phone.phone().e164(), idNumber.isEmpty() ? null : idNumber,
                    jurisdiction, now)), List.of(), warnings);
        }
        RiskCase c = new RiskCase(CaseId.next(now), source, externalId, name, phone.phone().e164(),
                phone.phone().smsCapable(), idNumber.isEmpty() ? null : idNumber, category.get(), jurisdiction,
                pushed, now, deadlines.deadlineFor(category.get(), now), CaseStatus.NEW, language.get());
        return new Checked(Candidate.toScreen(c, !clean(s.language()).isEmpty()), List.of(), warnings);
    }

    /** NFKC folds full-width characters; control characters (never meaningful in a list) are dropped. */
    static String clean(String v) {
        if (v == null) return "";
        String n = nfkc(v);
        boolean control = false;
        for (int i = 0; i < n.length() && !control; i++) control = Character.isISOControl(n.charAt(i));
        if (!control) return n.strip();
        StringBuilder b = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (!Character.isISOControl(c)) b.append(c);
        }
        return b.toString().strip();
    }

    /** NFKC, skipping the normaliser for plain ASCII (which NFKC leaves as it is), the common case of most fields. */
    static String nfkc(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) >= 0x80) return Normalizer.normalize(v, Normalizer.Form.NFKC);
        }
        return v;
    }
}
