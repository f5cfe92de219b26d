package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.web.console.PruneDoorKnockSubmissionsJob;

/** The door-knock form keys guarding double submits are forgotten once no session could post them again. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class DoorKnockSubmissionsPruneTest {
    static final Instant NOW = Instant.parse("2022-04-10T00:00:00Z");

    @Test
    void keysOlderThanADayAreDeletedByOneNodeAndRecentOnesStay(TestDb db) throws Exception {
        try (Connection c = db.database().connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO door_knock_submissions (submission, task_id, recorded_at) VALUES (?, 1, ?)")) {
            for (int i = 0; i < 12_000; i++) { // more than one delete's batch
                ps.setString(1, "old-" + i);
                ps.setTimestamp(2, Sql.ts(NOW.minus(Duration.ofDays(3))));
                ps.addBatch();
            }
            ps.setString(1, "last-evening");
            ps.setTimestamp(2, Sql.ts(NOW.minus(Duration.ofHours(20))));
            ps.addBatch();
            ps.setString(1, "a-day-and-a-minute");
            ps.setTimestamp(2, Sql.ts(NOW.minus(Duration.ofHours(24)).minusSeconds(60)));
            ps.addBatch();
            ps.executeBatch();
        }
        PruneDoorKnockSubmissionsJob job = new PruneDoorKnockSubmissionsJob(new JdbcDoorKnocks(db.database()),
                new MutableClock(NOW));
        assertThat(job.singleton()).as("one node sweeps the table, under the job's lease").isTrue();

        assertThat(job.runOnce()).as("one short delete per run").isEqualTo(5_000);
        assertThat(job.runOnce() + job.runOnce()).isEqualTo(7_001);
        assertThat(keys(db)).containsExactly("last-evening");
        assertThat(job.runOnce()).isZero();
    }

    private static List<String> keys(TestDb db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("SELECT submission FROM door_knock_submissions");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
