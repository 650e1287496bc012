package io.thermocline.benchmarks.versus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The side-by-side harness in smoke mode, as CI runs it: Thermocline, Kafka and Fluss (with its
 * Iceberg lake and tiering service) really started in JVMs of their own, Iceberg's Flink sink and
 * Redis (where installed) beside them, every case measured on each, the report and charts written.
 */
class VersusSmokeITCase {
    @TempDir
    Path results;

    @Test
    void everySystemIsStartedDrivenAndReported() throws Exception {
        Path peers = Paths.get("peers", "target", "peers-classpath.txt").toAbsolutePath();
        assertThat(peers).as("benchmarks/peers is built before benchmarks").exists();

        Path lake = Paths.get("peers-lake", "target", "peers-lake-classpath.txt").toAbsolutePath();
        assertThat(lake).as("benchmarks/peers-lake is built before benchmarks").exists();

        VersusBenchmark.main(new String[] {peers.toString(), lake.toString(), results.toString(), "--smoke"});

        String report = Files.readString(results.resolve("versus-smoke.md"));
        assertThat(report).contains("Machine: ", "**Smoke mode**");
        // Every system measured each case it has: a number in every column of the row, no "-".
        String n = " \\| [\\d,.]+";
        String x = " \\| [\\d.]+x";
        assertThat(report).containsPattern("\\| append RF 1 \\| rows/s" + n + n + n + x + x + " \\|");
        assertThat(report).containsPattern("\\| read 2 of 20 columns \\| rows/s" + n + n + n + x + x + " \\|");
        assertThat(report).containsPattern("\\| latency at 500 rows/s \\| p99" + n + n + n + x + x + " \\|");
        // Thermocline and Fluss, and Redis where redis-server is installed.
        String kvPeers = RedisSystem.installed() ? n + n + n + x + x : n + n + x;
        assertThat(report).containsPattern("\\| primary keys \\| upserts \\(rows/s\\)" + kvPeers + " \\|");
        assertThat(report).containsPattern("\\| primary keys \\| point lookup p99 \\(ms\\)" + kvPeers + " \\|");
        // Thermocline, Fluss and Iceberg's Flink sink, each read back from its Iceberg table.
        assertThat(report).containsPattern("\\| write to lake, 1 s \\| rows/s" + n + n + n + x + x + " \\|");
        assertThat(report).containsPattern("\\| lake freshness, 1 s \\| p99" + n + n + n + x + x + " \\|");
        assertThat(report).containsPattern("\\| union read \\| median query" + n + n + x + " \\|");
        assertThat(report).containsPattern("Thermocline [\\d,]+ of 2,000; Fluss [\\d,]+ of 2,000");
        for (String chart : new String[] {"versus-smoke-throughput.png", "versus-smoke-latency.png",
            "versus-smoke-lake.png"}) {
            byte[] png = Files.readAllBytes(results.resolve(chart));
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        }
    }
}
