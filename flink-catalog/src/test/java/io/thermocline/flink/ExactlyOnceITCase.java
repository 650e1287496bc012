package io.thermocline.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Lookuper;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.server.testutils.TestCluster;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A streaming job that fails midway and restores from its last checkpoint counts every source row
 * exactly once (the source resumes at the checkpointed offsets, consistent with the aggregate's
 * state). The default sink's idempotent upserts leave the result table exact; the exactly-once
 * sink also writes nothing twice, neither to a log table nor to a primary-key table's changelog.
 */
// Streaming reads block on their results: a regression fails the test instead of hanging CI.
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExactlyOnceITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(2).build();

    private static final int KEYS = 10;
    /** The job fails once, on the row with this value. */
    private static final long FAIL_AT = 1500;
    static final AtomicBoolean FAILED = new AtomicBoolean();

    /** Passes values through, failing the job the first time it sees {@link #FAIL_AT}. */
    public static final class FailOnce extends ScalarFunction {
        public Long eval(Long value) {
            if (value == FAIL_AT && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at row " + value);
            }
            return value;
        }
    }

    @Test
    void aFailedJobRestoresAndCountsEveryRowOnce() throws Exception {
        TableEnvironment sql = failingSession();
        sql.executeSql("CREATE TABLE shop.events (k INT, v BIGINT) WITH ('bucket.num' = '2')");
        sql.executeSql("CREATE TABLE shop.counts (k INT NOT NULL, n BIGINT, total BIGINT,"
                + " PRIMARY KEY (k) NOT ENFORCED) WITH ('bucket.num' = '2')");
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Lookuper counts = connection.table(TablePath.of("shop", "counts")).newLookuper();
            write(connection, 0, 1000);
            JobClient job = sql.executeSql("INSERT INTO shop.counts SELECT k, COUNT(*), SUM(fail_once(v))"
                    + " FROM shop.events GROUP BY k").getJobClient().orElseThrow();
            try {
                TestCluster.waitUntil(() -> countedRows(counts) == 1000, Duration.ofSeconds(60), "the first 1000 rows counted");
                Thread.sleep(500); // checkpoints complete with these rows in the aggregate's state
                write(connection, 1000, 1000);
                TestCluster.waitUntil(() -> FAILED.get() && countedRows(counts) == 2000, Duration.ofSeconds(90),
                        "all 2000 rows counted after the failure");
            } finally {
                job.cancel().get();
            }
        }
        assertThat(FAILED).isTrue();
        long expectedTotal = 2000L * 1999 / 2;
        List<Row> counts = rows("SELECT k, n, total FROM shop.counts");
        assertThat(counts).hasSize(KEYS).allSatisfy(row -> assertThat(row.getField(1)).isEqualTo(2000L / KEYS));
        assertThat(counts.stream().mapToLong(row -> (Long) row.getField(2)).sum()).isEqualTo(expectedTotal);
        // The sink's upserts are idempotent: replayed after the restore, they leave each key at its exact count.
        // (Changes written after the last checkpoint appear again in the changelog, rewound and replayed.)
        Map<Integer, Long> last = new HashMap<>();
        for (Row change : rows("SELECT k, n, _log_offset FROM `shop`.`counts$changelog` WHERE _change_type IN ('+I', '+U')"
                + " ORDER BY _log_offset")) {
            last.put((Integer) change.getField(0), (Long) change.getField(1));
        }
        assertThat(last).hasSize(KEYS).allSatisfy((k, n) -> assertThat(n).isEqualTo(2000L / KEYS));
    }

    @Test
    void anExactlyOnceSinkWritesNothingTwiceAcrossAFailure() throws Exception {
        TableEnvironment sql = failingSession();
        sql.executeSql("CREATE TABLE shop.clicks (k INT, v BIGINT) WITH ('bucket.num' = '2')");
        sql.executeSql("CREATE TABLE shop.clicks_copy (k INT, v BIGINT) WITH ('bucket.num' = '2')");
        sql.executeSql("CREATE TABLE shop.click_counts (k INT NOT NULL, n BIGINT, PRIMARY KEY (k) NOT ENFORCED)"
                + " WITH ('bucket.num' = '2')");
        String exactlyOnce = " /*+ OPTIONS('sink.delivery-guarantee' = 'exactly-once') */";
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Lookuper counts = connection.table(TablePath.of("shop", "click_counts")).newLookuper();
            write(connection, "clicks", 0, 1000);
            var jobs = sql.createStatementSet();
            jobs.addInsertSql("INSERT INTO shop.clicks_copy" + exactlyOnce + " SELECT k, fail_once(v) FROM shop.clicks");
            jobs.addInsertSql("INSERT INTO shop.click_counts" + exactlyOnce + " SELECT k, COUNT(*) FROM shop.clicks"
                    + " GROUP BY k");
            JobClient job = jobs.execute().getJobClient().orElseThrow();
            try {
                TestCluster.waitUntil(() -> countedRows(counts) == 1000, Duration.ofSeconds(60),
                        "the first 1000 rows committed");
                write(connection, "clicks", 1000, 1000);
                TestCluster.waitUntil(() -> FAILED.get() && countedRows(counts) == 2000, Duration.ofSeconds(90),
                        "all 2000 rows committed after the failure");
                TestCluster.waitUntil(() -> rows("SELECT COUNT(*) FROM shop.clicks_copy").get(0).getField(0)
                        .equals(2000L), Duration.ofSeconds(30), "the copy holds 2000 rows");
            } finally {
                job.cancel().get();
            }
        }
        assertThat(FAILED).isTrue();
        // The log copy holds every row once: rows written after the last checkpoint were never appended.
        List<Row> copy = rows("SELECT v FROM shop.clicks_copy");
        assertThat(copy).extracting(row -> (Long) row.getField(0)).doesNotHaveDuplicates().hasSize(2000);
        // The counts' changelog rose one by one per key: no value written twice, none rewound.
        Map<Integer, List<Long>> history = new HashMap<>();
        for (Row change : rows("SELECT k, n, _log_offset FROM `shop`.`click_counts$changelog`"
                + " WHERE _change_type IN ('+I', '+U') ORDER BY _log_offset")) {
            history.computeIfAbsent((Integer) change.getField(0), k -> new ArrayList<>()).add((Long) change.getField(1));
        }
        assertThat(history).hasSize(KEYS).allSatisfy((k, values) -> assertThat(values).isSorted()
                .doesNotHaveDuplicates().endsWith(2000L / KEYS));
    }

    /**
     * The exactly-once sink's batches that changed nothing (the same rows upserted again) are known
     * to the next leader: after the bucket's leader moves, the job's next commits go on, and the
     * job restored after a failure commits its pending batches again without writing anything twice.
     */
    @Test
    void anExactlyOnceSinkGoesOnAfterALeaderChangeFollowingBatchesThatChangedNothing() throws Exception {
        TableEnvironment sql = failingSession();
        sql.executeSql("CREATE TABLE shop.readings (k INT, v BIGINT) WITH ('bucket.num' = '1')");
        sql.executeSql("CREATE TABLE shop.latest (k INT NOT NULL, v BIGINT, PRIMARY KEY (k) NOT ENFORCED)"
                + " WITH ('bucket.num' = '1')");
        sql.executeSql("CREATE TABLE shop.reading_counts (k INT NOT NULL, n BIGINT, PRIMARY KEY (k) NOT ENFORCED)"
                + " WITH ('bucket.num' = '1')");
        String exactlyOnce = " /*+ OPTIONS('sink.delivery-guarantee' = 'exactly-once') */";
        TablePath latest = TablePath.of("shop", "latest");
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Lookuper counts = connection.table(TablePath.of("shop", "reading_counts")).newLookuper();
            writeReadings(connection, 1, KEYS); // every key at 1
            var jobs = sql.createStatementSet();
            jobs.addInsertSql("INSERT INTO shop.latest" + exactlyOnce + " SELECT k, fail_once(v) FROM shop.readings");
            jobs.addInsertSql("INSERT INTO shop.reading_counts" + exactlyOnce + " SELECT k, COUNT(*) FROM shop.readings"
                    + " GROUP BY k");
            JobClient job = jobs.execute().getJobClient().orElseThrow();
            int leader = -1;
            try {
                TestCluster.waitUntil(() -> countedRows(counts) == KEYS, Duration.ofSeconds(60), "the first rows committed");
                writeReadings(connection, 1, KEYS); // the same rows again: upserts that change nothing
                TestCluster.waitUntil(() -> countedRows(counts) == 2 * KEYS && logEnd(connection, latest) > KEYS,
                        Duration.ofSeconds(60), "the unchanged rows committed (as no-op markers)");
                leader = connection.admin().getTable(latest).get().buckets().get(0).leader();
                CLUSTER.stopTabletServer(leader); // leadership moves politely
                Lookuper latestRows = connection.table(latest).newLookuper();
                writeReadings(connection, 2, KEYS); // changes every key, in the same writer's next batches
                TestCluster.waitUntil(() -> countedRows(counts) == 3 * KEYS && latestRows.lookup(GenericRow.of(KEYS - 1))
                        .join().map(row -> row.getLong(1) == 2).orElse(false), Duration.ofSeconds(60),
                        "the changed rows committed to the new leader");
                writeReadings(connection, FAIL_AT, 1); // key 0: fails the job once; restored, it goes on
                TestCluster.waitUntil(() -> FAILED.get() && countedRows(counts) == 3 * KEYS + 1 && latestRows.lookup(
                        GenericRow.of(0)).join().map(row -> row.getLong(1) == FAIL_AT).orElse(false),
                        Duration.ofSeconds(90), "every row committed after the failure");
            } finally {
                job.cancel().get();
                if (leader >= 0) {
                    CLUSTER.startTabletServer(leader);
                }
            }
        }
        assertThat(rows("SELECT k, v FROM shop.latest")).hasSize(KEYS)
                .allSatisfy(row -> assertThat(row.getField(1)).isEqualTo(row.getField(0).equals(0) ? FAIL_AT : 2L));
        // Each key's changelog: set to 1 once, then changed to 2 (key 0 to FAIL_AT), nothing written twice.
        Map<Integer, List<String>> history = new HashMap<>();
        for (Row change : rows("SELECT k, v, _change_type FROM `shop`.`latest$changelog` ORDER BY _log_offset")) {
            history.computeIfAbsent((Integer) change.getField(0), k -> new ArrayList<>())
                    .add(change.getField(2) + "" + change.getField(1));
        }
        assertThat(history).hasSize(KEYS).allSatisfy((k, changes) -> assertThat(changes).startsWith("+I1", "-U1",
                "+U2").doesNotHaveDuplicates());
    }

    /** One reading of value {@code v} for each of keys 0 to {@code keys - 1}. */
    private static void writeReadings(Connection connection, long v, int keys) throws Exception {
        try (AppendWriter writer = connection.table(TablePath.of("shop", "readings")).newAppendWriter()) {
            for (int k = 0; k < keys; k++) {
                writer.append(GenericRow.of(k, v));
            }
            writer.flush();
        }
    }

    private static long logEnd(Connection connection, TablePath path) {
        return connection.admin().listOffsets(path, List.of(0), OffsetSpec.latest()).join().get(0);
    }

    /** A streaming session with checkpoints every 100 ms, restarts, and {@code fail_once}; armed anew. */
    private static TableEnvironment failingSession() {
        FAILED.set(false);
        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        sql.getConfig().set("execution.checkpointing.interval", "100 ms");
        sql.getConfig().set("restart-strategy.type", "fixed-delay");
        sql.getConfig().set("restart-strategy.fixed-delay.attempts", "3");
        sql.getConfig().set("restart-strategy.fixed-delay.delay", "200 ms");
        sql.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                + CLUSTER.bootstrapServers() + "')");
        sql.executeSql("USE CATALOG tc");
        sql.executeSql("CREATE DATABASE IF NOT EXISTS shop");
        sql.createTemporarySystemFunction("fail_once", FailOnce.class);
        return sql;
    }

    private static void write(Connection connection, long from, int count) throws Exception {
        write(connection, "events", from, count);
    }

    private static void write(Connection connection, String table, long from, int count) throws Exception {
        try (AppendWriter writer = connection.table(TablePath.of("shop", table)).newAppendWriter()) {
            for (long v = from; v < from + count; v++) {
                writer.append(GenericRow.of((int) (v % KEYS), v));
            }
            writer.flush();
        }
    }

    /** The rows counted so far, as the result table's rows (looked up by key) say. */
    private static long countedRows(Lookuper counts) {
        long sum = 0;
        for (int k = 0; k < KEYS; k++) {
            sum += counts.lookup(GenericRow.of(k)).join().map(row -> (Long) row.getField(1)).orElse(0L);
        }
        return sum;
    }

    private static List<Row> rows(String query) {
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        batch.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                + CLUSTER.bootstrapServers() + "')");
        batch.executeSql("USE CATALOG tc");
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = batch.executeSql(query).collect()) {
            it.forEachRemaining(rows::add);
        } catch (Exception e) {
            throw new IllegalStateException(query, e);
        }
        return rows;
    }
}
