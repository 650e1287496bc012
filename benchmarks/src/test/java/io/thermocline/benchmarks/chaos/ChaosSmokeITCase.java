package io.thermocline.benchmarks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The chaos harness, short, as CI runs it: one fault of each kind against a cluster of OS
 * processes under writers and a streaming reader, then every check against the model. The long
 * run is {@code benchmarks/run.sh chaos}.
 */
class ChaosSmokeITCase {
    @TempDir
    Path dir;

    @Test
    void oneFaultOfEachKindLosesDuplicatesAndReordersNothing() throws Exception {
        ChaosBenchmark.Outcome outcome = ChaosBenchmark.run(new ChaosBenchmark.Plan(Duration.ZERO, 1, 500, 19580), dir,
                System.getProperty("java.class.path"));
        System.out.println(ChaosReport.markdown(new ChaosBenchmark.Plan(Duration.ZERO, 1, 500, 19580), outcome));
        for (List<Long> recoveries : outcome.recoveries().values()) {
            assertThat(recoveries).hasSize(1);
        }
        assertThat(outcome.counts()).containsKey("rows acknowledged");
        assertThat(outcome.counts().get("rows acknowledged")).isPositive();
        outcome.counts().forEach((check, count) -> {
            if (check.startsWith("wrong: ")) {
                assertThat(count).as(check).isZero();
            }
        });
        assertThat(outcome.passed()).isTrue();
    }
}
