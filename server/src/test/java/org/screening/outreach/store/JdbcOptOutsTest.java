package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.sms.OptOuts;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

@Tag("db")
@ExtendWith(MariaDbExtension.class)
class JdbcOptOutsTest {
    static final Instant T0 = Instant.parse("2022-04-01T01:00:00Z");

    @Test
    void optOutOptInRoundTrip(TestDb db) {
        OptOuts optOuts = new JdbcOptOuts(db.database());
        assertThat(optOuts.isOptedOut("+8613900000001")).isFalse();
        optOuts.optOut("+8613900000001", T0);
        assertThat(optOuts.isOptedOut("+8613900000001")).isTrue();
        assertThat(optOuts.isOptedOut("+8613900000002")).isFalse();
        assertThat(optOuts.optIn("+8613900000001", T0.plusSeconds(1))).isTrue();
        assertThat(optOuts.isOptedOut("+8613900000001")).isFalse();
        assertThat(optOuts.optIn("+8613900000001", T0.plusSeconds(2))).isFalse();
    }

    @Test
    void keywordsAppliedOutOfOrderLeaveTheNewestWish(TestDb db) {
        OptOuts optOuts = new JdbcOptOuts(db.database());
        // START spooled on one node, replayed after a later STOP applied on another: still opted out.
        optOuts.optOut("+8613900000004", T0.plusSeconds(60));
        assertThat(optOuts.optIn("+8613900000004", T0)).isFalse();
        assertThat(optOuts.isOptedOut("+8613900000004")).isTrue();
        // STOP replayed after a later START: still opted in.
        optOuts.optIn("+8613900000005", T0.plusSeconds(60));
        optOuts.optOut("+8613900000005", T0);
        assertThat(optOuts.isOptedOut("+8613900000005")).isFalse();
        // In order, each wish still counts: opt out again after that START.
        optOuts.optOut("+8613900000005", T0.plusSeconds(120));
        assertThat(optOuts.isOptedOut("+8613900000005")).isTrue();
    }

    @Test
    void aRepeatedOptOutKeepsOneRowWithTheLatestTimeAndSource(TestDb db) throws Exception {
        OptOuts optOuts = new JdbcOptOuts(db.database());
        optOuts.optOut("+8613900000003", T0);
        optOuts.optOut("+8613900000003", "campaign_import", T0.plusSeconds(60));
        optOuts.optOut("+8613900000003", "late_replay", T0.plusSeconds(30)); // older: changes neither time nor source
        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MAX(source), MAX(opted_out_at) FROM sms_opt_outs WHERE phone = ?")) {
            ps.setString(1, "+8613900000003");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("campaign_import");
                assertThat(rs.getObject(3, java.time.LocalDateTime.class)).isEqualTo(java.time.LocalDateTime.of(2022, 4, 1, 1, 1));
            }
        }
    }
}
