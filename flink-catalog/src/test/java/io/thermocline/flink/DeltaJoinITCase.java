package io.thermocline.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.server.testutils.TestCluster;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Streaming joins of two Thermocline tables that Flink 2.1 runs as a delta join: no join state,
 * each side's new rows look up the other table. The catalog declares each primary-key table's
 * indexes, a first-row table's stream is insert-only, and the source serves the lookups.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DeltaJoinITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).build();

    private static final String JOIN = " SELECT l.id, l.a, r.b FROM dj.lhs AS l JOIN dj.rhs AS r ON l.id = r.id";

    @TempDir
    static Path dir;

    static TableEnvironment batch;
    static Connection connection;
    private static final Map<Long, String> LEFT = new TreeMap<>();
    private static final Map<Long, String> RIGHT = new TreeMap<>();

    @BeforeAll
    static void tables() {
        batch = environment(false, Map.of());
        batch.executeSql("CREATE DATABASE dj");
        for (String side : List.of("lhs (id BIGINT NOT NULL, a STRING", "rhs (id BIGINT NOT NULL, b STRING")) {
            batch.executeSql("CREATE TABLE dj." + side + ", PRIMARY KEY (id) NOT ENFORCED)"
                    + " WITH ('bucket.num' = '2', 'table.merge-engine' = 'first_row')");
        }
        for (String out : List.of("delta_out", "regular_out")) {
            batch.executeSql("CREATE TABLE dj." + out + " (id BIGINT NOT NULL, a STRING, b STRING,"
                    + " PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket.num' = '2')");
        }
        batch.executeSql("CREATE TABLE dj.last_row (id BIGINT NOT NULL, c STRING, PRIMARY KEY (id) NOT ENFORCED)"
                + " WITH ('bucket.num' = '2')");
        connection = ConnectionFactory.create(CLUSTER.clientConf());
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @Test
    void aJoinOfTwoFirstRowTablesPlansAsADeltaJoinAndOthersStayRegular() {
        TableEnvironment streaming = environment(true, Map.of());
        assertThat(streaming.explainSql("INSERT INTO dj.delta_out" + JOIN)).contains("DeltaJoin");
        // A last-row table's stream updates and deletes: Flink 2.1 joins only insert-only inputs by lookups.
        assertThat(streaming.explainSql("INSERT INTO dj.delta_out SELECT l.id, l.a, r.c FROM dj.lhs AS l"
                + " JOIN dj.last_row AS r ON l.id = r.id")).doesNotContain("DeltaJoin");
        // A join on a column that is no index of the table looks nothing up.
        assertThat(streaming.explainSql("INSERT INTO dj.delta_out SELECT l.id, l.a, r.b FROM dj.lhs AS l"
                + " JOIN dj.rhs AS r ON l.a = r.b")).doesNotContain("DeltaJoin");
    }

    @Test
    void theDeltaJoinAnswersAsTheRegularJoinAlsoAfterARestoreFromASavepoint() throws Exception {
        TableEnvironment regular = environment(true,
                Map.of("table.optimizer.delta-join.strategy", "NONE"));
        assertThat(regular.explainSql("INSERT INTO dj.regular_out" + JOIN)).doesNotContain("DeltaJoin");
        JobClient regularJob = regular.executeSql("INSERT INTO dj.regular_out" + JOIN).getJobClient().orElseThrow();
        TableEnvironment delta = environment(true,
                Map.of("table.optimizer.delta-join.strategy", "FORCE"));
        JobClient deltaJob = delta.executeSql("INSERT INTO dj.delta_out" + JOIN).getJobClient().orElseThrow();
        try {
            Map<Long, String> expected = new TreeMap<>();
            write(0, 200, 100, 300, expected); // ids 100..199 on both sides
            awaitJoined(expected);

            // Stopped with a savepoint, rows arrive on both sides; restored, the delta join picks them up.
            String savepoint = deltaJob.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
            write(200, 400, 300, 500, expected);
            deltaJob = environment(true, Map.of("table.optimizer.delta-join.strategy",
                    "FORCE", "execution.state-recovery.path", savepoint)).executeSql("INSERT INTO dj.delta_out" + JOIN)
                    .getJobClient().orElseThrow();
            awaitJoined(expected);
        } finally {
            deltaJob.cancel().get(1, TimeUnit.MINUTES);
            regularJob.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    /**
     * Rows {@code [leftFrom, leftTo)} on the left and {@code [rightFrom, rightTo)} on the right, each
     * key written twice (first-row keeps the first); {@code expected} becomes every joined row so far.
     */
    private static void write(long leftFrom, long leftTo, long rightFrom, long rightTo, Map<Long, String> expected)
            throws Exception {
        try (UpsertWriter left = connection.table(TablePath.of("dj", "lhs")).newUpsertWriter();
                UpsertWriter right = connection.table(TablePath.of("dj", "rhs")).newUpsertWriter()) {
            for (long id = Math.min(leftFrom, rightFrom); id < Math.max(leftTo, rightTo); id++) {
                for (String version : List.of("first", "second")) {
                    if (id >= leftFrom && id < leftTo) {
                        left.upsert(GenericRow.of(id, "a" + id + "-" + version));
                        LEFT.putIfAbsent(id, "a" + id + "-" + version);
                    }
                    if (id >= rightFrom && id < rightTo) {
                        right.upsert(GenericRow.of(id, "b" + id + "-" + version));
                        RIGHT.putIfAbsent(id, "b" + id + "-" + version);
                    }
                }
            }
            left.flush();
            right.flush();
        }
        LEFT.forEach((id, a) -> {
            if (RIGHT.containsKey(id)) {
                expected.put(id, "+I[" + id + ", " + a + ", " + RIGHT.get(id) + "]");
            }
        });
    }

    private static void awaitJoined(Map<Long, String> expected) {
        TestCluster.waitUntil(() -> rows("delta_out").equals(new ArrayList<>(expected.values()))
                        && rows("regular_out").equals(new ArrayList<>(expected.values())),
                Duration.ofMinutes(2), expected.size() + " joined rows from the delta join and the regular join");
    }

    private static List<String> rows(String table) {
        Map<Long, String> byId = new TreeMap<>();
        try (CloseableIterator<Row> rows = batch.executeSql("SELECT id, a, b FROM dj." + table).collect()) {
            rows.forEachRemaining(row -> byId.put((Long) row.getField(0), row.toString()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new ArrayList<>(byId.values());
    }

    private static TableEnvironment environment(boolean streaming, Map<String, String> options) {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "500 ms");
        options.forEach(conf::setString);
        EnvironmentSettings.Builder settings = EnvironmentSettings.newInstance().withConfiguration(conf);
        TableEnvironment env = TableEnvironment.create(
                (streaming ? settings.inStreamingMode() : settings.inBatchMode()).build());
        env.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                + CLUSTER.bootstrapServers() + "')");
        env.executeSql("USE CATALOG tc");
        return env;
    }
}
