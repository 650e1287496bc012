package io.thermocline.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Lookuper;
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
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A streaming job that fails midway and restores from its last checkpoint counts every source row
 * exactly once (the source resumes at the checkpointed offsets, consistent with the aggregate's
 * state), and its sink's idempotent upserts leave the result table exact.
 */
class ExactlyOnceITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).build();

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
        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        sql.getConfig().set("execution.checkpointing.interval", "100 ms");
        sql.getConfig().set("restart-strategy.type", "fixed-delay");
        sql.getConfig().set("restart-strategy.fixed-delay.attempts", "3");
        sql.getConfig().set("restart-strategy.fixed-delay.delay", "200 ms");
        sql.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                + CLUSTER.bootstrapServers() + "')");
        sql.executeSql("USE CATALOG tc");
        sql.executeSql("CREATE DATABASE shop");
        sql.executeSql("CREATE TABLE shop.events (k INT, v BIGINT) WITH ('bucket.num' = '2')");
        sql.executeSql("CREATE TABLE shop.counts (k INT NOT NULL, n BIGINT, total BIGINT,"
                + " PRIMARY KEY (k) NOT ENFORCED) WITH ('bucket.num' = '2')");
        sql.createTemporarySystemFunction("fail_once", FailOnce.class);

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

    private static void write(Connection connection, long from, int count) throws Exception {
        try (AppendWriter writer = connection.table(TablePath.of("shop", "events")).newAppendWriter()) {
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

    private static List<Row> rows(String query) throws Exception {
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        batch.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                + CLUSTER.bootstrapServers() + "')");
        batch.executeSql("USE CATALOG tc");
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = batch.executeSql(query).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
