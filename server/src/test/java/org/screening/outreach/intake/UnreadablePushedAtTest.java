package org.screening.outreach.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Deadlines;
import org.screening.outreach.domain.RiskCase;

/** A push time that cannot be read must not keep a person from screening: the row is taken without it, and said so. */
class UnreadablePushedAtTest {
    static final Instant NOW = Instant.parse("2022-04-01T02:00:00Z");

    final List<Candidate> storedCandidates = new ArrayList<>();
    final List<CaseStore.Stored> stored = new ArrayList<>();
    final List<RowError> rejected = new ArrayList<>();
    final List<RowError> warned = new ArrayList<>();

    final IntakeService intake = new IntakeService((source, candidates, now, actor) -> {
        storedCandidates.addAll(candidates);
        return candidates.stream().map(c -> new CaseStore.Stored(c.riskCase().id(), CaseStatus.NEW,
                CaseStore.Outcome.CREATED)).toList();
    }, new CaseValidator(Deadlines.defaults(), ZoneId.of("Asia/Shanghai")), Clock.fixed(NOW, ZoneOffset.UTC), 10);

    final IntakeListener listener = new IntakeListener() {
        @Override
        public void stored(CaseSubmission row, CaseStore.Stored s) {
            stored.add(s);
        }

        @Override
        public void rejected(RowError error) {
            rejected.add(error);
        }

        @Override
        public void warned(RowError warning) {
            warned.add(warning);
        }
    };

    static CaseSubmission row(int row, String category, String pushedAt) {
        return new CaseSubmission(row, "A" + row, "张三", "1380013800" + row, "", category, "510104001001", pushedAt);
    }

    @Test
    void aRedCodeRowWithAnUnreadablePushTimeIsCreatedDueTwoHoursAfterReceiptWithAWarning() {
        IntakeSummary s = intake.ingest("cdc", "", "test", sink -> {
            sink.accept(row(1, "红码", "2022-04-01 08:30"));
            sink.accept(row(2, "红码", "4月1日上午"));
        }, listener);

        assertThat(s.accepted()).isEqualTo(2);
        assertThat(s.rejectedRows()).isZero();
        assertThat(rejected).isEmpty();
        assertThat(stored).extracting(CaseStore.Stored::outcome).containsOnly(CaseStore.Outcome.CREATED);
        RiskCase unreadable = storedCandidates.get(1).riskCase();
        assertThat(unreadable.pushedAt()).isNull();
        assertThat(unreadable.receivedAt()).isEqualTo(NOW);
        assertThat(unreadable.deadlineAt()).isEqualTo(NOW.plus(Duration.ofHours(2)));
        assertThat(storedCandidates.get(0).riskCase().pushedAt()).isEqualTo(Instant.parse("2022-04-01T00:30:00Z"));
        assertThat(warned).singleElement().satisfies(w -> {
            assertThat(w.row()).isEqualTo(2);
            assertThat(w.field()).isEqualTo("pushedAt");
            assertThat(w.message()).contains("receipt");
        });
    }

    @Test
    void aRowRejectedForAnotherFieldStillNamesItsUnreadablePushTime() {
        intake.ingest("cdc", "", "test", sink -> sink.accept(row(1, "蓝码", "昨天")), listener);

        assertThat(stored).isEmpty();
        assertThat(rejected).extracting(RowError::field).containsExactly("category");
        assertThat(warned).extracting(RowError::row, RowError::field)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "pushedAt"));
    }
}
