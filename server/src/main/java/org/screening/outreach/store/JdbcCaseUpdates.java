package org.screening.outreach.store;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
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
        return update(caseId, null, null, decide, now);
    }

    @Override
    public Optional<RiskCase> applyUnlessRepeated(String caseId, String type, Map<String, ?> data,
                                                  Function<RiskCase, CaseProgress.Step> decide, Instant now) {
        return update(caseId, type, data, decide, now);
    }

    private Optional<RiskCase> update(String caseId, String repeatType, Map<String, ?> repeatData,
                                      Function<RiskCase, CaseProgress.Step> decide, Instant now) {
        return Tx.run(db, "updating a case", c -> {
            Optional<RiskCase> rc = Sql.lockCase(c, db.idNumbers(), caseId);
            if (rc.isEmpty()) return Optional.empty();
            // On this transaction's connection: a second pool connection while the case is locked can starve the pool.
            if (repeatType != null && lastData(c, caseId, repeatType).filter(repeatData::equals).isPresent()) return rc;
            CaseProgress.Step step = decide.apply(rc.get());
            RiskCase after = CaseEffects.apply(c, rc.get(), step, now);
            // A self-report or a control measure is what later pushes of the same person are matched against.
            Optional<KnownPerson> known = KnownPerson.fromStep(rc.get(), step);
            if (known.isPresent()) JdbcKnownPersons.note(c, db.idNumbers(), known.get());
            return Optional.of(after);
        });
    }

    private static Optional<Map<String, Object>> lastData(Connection c, String caseId, String type) throws SQLException {
        try (PreparedStatement ps = Sql.bind(c.prepareStatement(
                "SELECT data FROM ledger_events WHERE case_id = ? AND type = ? ORDER BY seq DESC LIMIT 1"), caseId, type);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new JsonObject(rs.getString("data")).getMap()) : Optional.empty();
        }
    }

    @Override
    public Optional<Long> resendSms(String caseId, String actor, String by, Instant now) {
        return SmsResendSql.resend(db, caseId, actor, by, now);
    }
}
