package io.thermocline.benchmarks.versus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The side-by-side harness in smoke mode, as CI runs it: Thermocline, Kafka and Fluss really
 * started in JVMs of their own, every case measured on each, the report and charts written.
 */
class VersusSmokeITCase {
    @TempDir
    Path results;

    @Test
    void everySystemIsStartedDrivenAndReported() throws Exception {
        Path peers = Paths.get("peers", "target", "peers-classpath.txt").toAbsolutePath();
        assertThat(peers).as("benchmarks/peers is built before benchmarks").exists();

        VersusBenchmark.main(new String[] {peers.toString(), results.toString(), "--smoke"});

        String report = Files.readString(results.resolve("versus-smoke.md"));
        assertThat(report).contains("Machine: ", "**Smoke mode**");
        // Every system measured every case: numbers in all five columns of each row, no "-".
        assertThat(report).containsPattern("\\| append RF 1 \\| [\\d,.]+ \\| [\\d,.]+ \\| [\\d,.]+ \\| [\\d.]+x \\| [\\d.]+x \\|");
        assertThat(report).containsPattern(
                "\\| read 2 of 20 columns \\| [\\d,.]+ \\| [\\d,.]+ \\| [\\d,.]+ \\| [\\d.]+x \\| [\\d.]+x \\|");
        assertThat(report).containsPattern(
                "\\| latency at 500 rows/s \\| p99 \\| [\\d,.]+ \\| [\\d,.]+ \\| [\\d,.]+ \\| [\\d.]+x \\| [\\d.]+x \\|");
        assertThat(report).containsPattern("\\| upserts \\(rows/s\\) \\| [\\d,.]+ \\| [\\d,.]+ \\| [\\d.]+x \\|");
        assertThat(report).containsPattern("\\| point lookup p99 \\(ms\\) \\| [\\d,.]+ \\| [\\d,.]+ \\| [\\d.]+x \\|");
        for (String chart : new String[] {"versus-smoke-throughput.png", "versus-smoke-latency.png"}) {
            byte[] png = Files.readAllBytes(results.resolve(chart));
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        }
    }
}
