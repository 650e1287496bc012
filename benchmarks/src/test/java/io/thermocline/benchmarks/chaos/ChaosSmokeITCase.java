package io.thermocline.benchmarks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The chaos harness, short, as CI runs it: one fault of each kind against a cluster of OS
 * processes under writers and a streaming reader, then every check against the model; and the
 * tiering torture for 20 lake commits. The long runs are {@code benchmarks/run.sh chaos} and
 * {@code benchmarks/run.sh tiering-torture}.
 */
class ChaosSmokeITCase {
    @TempDir
    Path dir;

    @Test
    void oneFaultOfEachKindLosesDuplicatesAndReordersNothing() throws Exception {
        ChaosBenchmark.Plan plan = ChaosBenchmark.Plan.chaos(Duration.ZERO, 1, 500, 19580);
        ChaosBenchmark.Outcome outcome = ChaosBenchmark.run(plan, dir, System.getProperty("java.class.path"));
        System.out.println(ChaosReport.markdown(plan, outcome));
        assertThat(outcome.recoveries()).hasSize(ChaosFaults.Kind.values().length);
        for (List<Long> recoveries : outcome.recoveries().values()) {
            assertThat(recoveries).hasSize(1);
        }
        assertPassed(outcome);
    }

    @Test
    void tieringJobsKilledUnderMaintenanceAndALostOffsetsHistoryLeaveEveryRowInTheLakeOnce() throws Exception {
        ChaosBenchmark.Plan plan = ChaosBenchmark.Plan.tieringTorture(12, 500, 19680);
        ChaosBenchmark.Outcome outcome = ChaosBenchmark.run(plan, dir, System.getProperty("java.class.path"));
        System.out.println(ChaosReport.markdown(plan, outcome));
        assertThat(outcome.lakeCommits()).isGreaterThanOrEqualTo(12);
        assertThat(outcome.recoveries().get(ChaosFaults.Kind.KILL_TIERING)).isNotEmpty();
        assertPassed(outcome);
    }

    private static void assertPassed(ChaosBenchmark.Outcome outcome) {
        assertThat(outcome.counts().get("rows acknowledged")).isPositive();
        assertThat(outcome.counts().get("rows in the lake")).isEqualTo(outcome.counts().get("rows acknowledged"));
        outcome.counts().forEach((check, count) -> {
            if (check.startsWith("wrong: ")) {
                assertThat(count).as(check).isZero();
            }
        });
        assertThat(outcome.passed()).isTrue();
    }
}
