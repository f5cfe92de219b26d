package org.screening.outreach.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdKeyRotationJobTest {
    @Test
    void aRunTakesSeveralBatchesAndStopsWhenThereIsNothingToDo() {
        Deque<Integer> steps = new ArrayDeque<>(List.of(500, 0, 120, -1, 500));
        IdKeyRotationJob job = new IdKeyRotationJob(steps::pop);
        // 0 is a table finished without re-encrypting anything: the run goes on; -1 ends it.
        assertThat(job.runOnce()).isEqualTo(620);
        assertThat(steps).containsExactly(500);
        assertThat(job.singleton()).as("walks whole tables: one node at a time").isTrue();
    }

    @Test
    void aRunIsBounded() {
        int[] calls = {0};
        IdKeyRotationJob job = new IdKeyRotationJob(() -> {
            calls[0]++;
            return 500;
        });
        assertThat(job.runOnce()).isEqualTo(IdKeyRotationJob.BATCHES * 500);
        assertThat(calls[0]).isEqualTo(IdKeyRotationJob.BATCHES);
    }
}
