package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.domain.Role;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.web.console.ConsoleSessions;
import org.screening.outreach.web.console.StaffAccounts;
import org.screening.outreach.web.console.WorkList;

/** The console's SQL against a real MariaDB: accounts, sessions, and the work list's sections and order. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class JdbcStaffStoresTest {
    static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");

    @Test
    void usernamesAreUniqueRegardlessOfCase(TestDb db) {
        JdbcStaffAccounts accounts = new JdbcStaffAccounts(db.database());
        long id = accounts.create(account("li.na", "510104001001"), T0);
        assertThatThrownBy(() -> accounts.create(account("LI.NA", "510104001002"), T0))
                .isInstanceOf(StaffAccounts.DuplicateUsername.class);
        StaffAccounts.Stored found = accounts.findByUsername("Li.Na").orElseThrow();
        assertThat(found.user().accountId()).isEqualTo(id);
        assertThat(found.user().role()).isEqualTo(Role.COMMUNITY);
        assertThat(found.passwordHash()).isEqualTo("$2a$04$hash");
        assertThat(found.disabled()).isFalse();
        assertThat(accounts.findByUsername("nobody")).isEmpty();
        assertThat(accounts.list("510104", 10)).extracting(u -> u.user().username()).contains("li.na");
        assertThat(accounts.list("5102", 10)).isEmpty();
    }

    @Test
    void sessionsAreFoundByHashUntilTheyExpireOrTheAccountIsDisabled(TestDb db) throws Exception {
        JdbcStaffAccounts accounts = new JdbcStaffAccounts(db.database());
        JdbcConsoleSessions sessions = new JdbcConsoleSessions(db.database());
        long id = accounts.create(account("zhao", "510104001001"), T0);
        sessions.create("a".repeat(64), id, "c".repeat(43), T0, T0.plus(Duration.ofHours(12)));
        ConsoleSessions.Session s = sessions.find("a".repeat(64), T0.plusSeconds(5)).orElseThrow();
        assertThat(s.user().username()).isEqualTo("zhao");
        assertThat(s.csrfToken()).isEqualTo("c".repeat(43));
        assertThat(s.lastSeenAt()).isEqualTo(T0);
        sessions.touch("a".repeat(64), T0.plusSeconds(90));
        assertThat(sessions.find("a".repeat(64), T0.plusSeconds(91)).orElseThrow().lastSeenAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(sessions.find("a".repeat(64), T0.plus(Duration.ofHours(12)))).as("expired").isEmpty();
        assertThat(sessions.find("b".repeat(64), T0)).isEmpty();

        sessions.create("d".repeat(64), id, "c".repeat(43), T0, T0.plus(Duration.ofHours(12)));
        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("UPDATE staff_accounts SET disabled = TRUE WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        assertThat(sessions.find("d".repeat(64), T0.plusSeconds(5))).as("account disabled").isEmpty();
        assertThat(sessions.deleteExpired(T0.plus(Duration.ofHours(13)))).isEqualTo(2);
        sessions.delete("d".repeat(64));
    }

    @Test
    void workListShowsSectionsSoonestDeadlineFirstWithTheirDoorKnocks(TestDb db) {
        MutableClock clock = new MutableClock(T0);
        Cases cases = new Cases(db.database(), clock);
        String community = "510199001001";
        String roaming = cases.pushAs("wl", "W1", "13900990001", "ROAMING", community);   // 24 h
        String red = cases.pushAs("wl", "W2", "13900990002", "RED", community);           // 2 h
        String yellow = cases.pushAs("wl", "W3", "13900990003", "YELLOW", community);     // 12 h
        cases.pushAs("wl", "W4", "13900990004", "RED", "510199001002");                    // another community
        JdbcAttemptQueue queue = new JdbcAttemptQueue(db.database(),
                new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())));
        assertThat(queue.escalateNow(List.of(yellow), DoorKnockTask.NOT_REACHED, T0)).isEqualTo(1);

        JdbcStaffWorkList list = new JdbcStaffWorkList(db.database());
        Instant dueBefore = T0.plus(Duration.ofHours(3));
        WorkList.Page all = list.find(query(community, WorkList.Section.ALL, null, null, dueBefore));
        assertThat(all.rows()).extracting(r -> r.riskCase().id()).containsExactly(red, yellow, roaming);
        assertThat(all.rows().get(1).task()).isNotNull();
        assertThat(all.rows().get(1).task().reason()).isEqualTo(DoorKnockTask.NOT_REACHED);
        assertThat(all.rows().get(0).task()).isNull();

        assertThat(list.find(query(community, WorkList.Section.UNANSWERED, null, null, dueBefore)).rows())
                .extracting(r -> r.riskCase().id()).containsExactly(red, roaming);
        assertThat(list.find(query(community, WorkList.Section.DOOR_KNOCK, null, null, dueBefore)).rows())
                .extracting(r -> r.riskCase().id()).containsExactly(yellow);
        assertThat(list.find(query(community, WorkList.Section.DUE_SOON, null, null, dueBefore)).rows())
                .extracting(r -> r.riskCase().id()).containsExactly(red);
        assertThat(list.find(query(community, WorkList.Section.ALL, null, Category.ROAMING, dueBefore)).rows())
                .extracting(r -> r.riskCase().id()).containsExactly(roaming);
        assertThat(list.find(query(community, WorkList.Section.DOOR_KNOCK, CaseStatus.NEW, null, dueBefore)).rows())
                .as("a status outside the section").isEmpty();
        assertThat(list.find(query("510199", WorkList.Section.ALL, null, null, dueBefore)).rows()).hasSize(4);

        WorkList.Page first = list.find(new WorkList.Query(community, WorkList.Section.ALL, null, null, dueBefore, 0, 2));
        assertThat(first.more()).isTrue();
        WorkList.Page second = list.find(new WorkList.Query(community, WorkList.Section.ALL, null, null, dueBefore, 2, 2));
        assertThat(second.more()).isFalse();
        assertThat(second.rows()).extracting(r -> r.riskCase().id()).containsExactly(roaming);

        assertThat(list.counts(community, dueBefore)).containsEntry(WorkList.Section.ALL, 3L)
                .containsEntry(WorkList.Section.UNANSWERED, 2L).containsEntry(WorkList.Section.DOOR_KNOCK, 1L)
                .containsEntry(WorkList.Section.DUE_SOON, 1L);
    }

    private static WorkList.Query query(String prefix, WorkList.Section s, CaseStatus status, Category category,
                                        Instant dueBefore) {
        return new WorkList.Query(prefix, s, status, category, dueBefore, 0, 50);
    }

    private static StaffAccounts.NewAccount account(String username, String prefix) {
        return new StaffAccounts.NewAccount(username, "$2a$04$hash", "测试", Role.COMMUNITY, prefix, false);
    }
}
