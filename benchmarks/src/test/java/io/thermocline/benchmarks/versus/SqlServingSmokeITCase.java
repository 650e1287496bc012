package io.thermocline.benchmarks.versus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The SQL-serving benchmark in smoke mode, as CI runs it: a cluster, the JDBC gateway (and Redis
 * where installed) really started in JVMs of their own, every case measured with every lookup
 * checked, the report written.
 */
class SqlServingSmokeITCase {
    @TempDir
    Path results;

    @Test
    void everyCaseIsMeasuredAndReported() throws Exception {
        SqlServingBenchmark.main(new String[] {results.toString(), "--smoke"});

        String report = Files.readString(results.resolve("sql-serving-smoke.md"));
        assertThat(report).contains("Machine: ", "**Smoke mode**");
        String row = " \\| [\\d,]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d,]+ \\|";
        for (String system : new String[] {"JDBC, fast path", "JDBC, Flink job", "Java client lookuper"}) {
            assertThat(report).containsPattern("\\| " + system + " \\| 1" + row);
            assertThat(report).containsPattern("\\| " + system + " \\| 16" + row);
        }
        if (RedisSystem.installed()) {
            assertThat(report).containsPattern("\\| Redis GET \\| 16" + row);
        }
        assertThat(report).containsPattern("\\| fast path throughput / Flink job throughput \\| 16 \\| [\\d.]+x \\|");
    }
}
