package org.screening.outreach.store;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.KnownPerson;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.ledger.CaseUpdates;

/** SQL behind {@link CaseUpdates}, for decisions made outside the dispatcher (self-reports, other systems). */
public final class JdbcCaseUpdates implements CaseUpdates {
    private final Database db;

    public JdbcCaseUpdates(Database db) {
        this.db = db;
    }

    @Override
    public Optional<RiskCase> apply(String caseId, Function<RiskCase, CaseProgress.Step> decide, Instant now) {
        return Tx.run(db, "updating a case", c -> {
            Optional<RiskCase> rc = Sql.lockCase(c, db.idNumbers(), caseId);
            if (rc.isEmpty()) return Optional.empty();
            CaseProgress.Step step = decide.apply(rc.get());
            RiskCase after = CaseEffects.apply(c, rc.get(), step, now);
            // A self-report or a control measure is what later pushes of the same person are matched against.
            Optional<KnownPerson> known = KnownPerson.fromStep(rc.get(), step);
            if (known.isPresent()) JdbcKnownPersons.note(c, db.idNumbers(), known.get());
            return Optional.of(after);
        });
    }

    @Override
    public Optional<Long> resendSms(String caseId, String actor, String by, Instant now) {
        return SmsResendSql.resend(db, caseId, actor, by, now);
    }
}
