package io.thermocline.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.TableInfo;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.lake.LakeTableLayout;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.tiering.testutils.TieringRounds;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A batch read of a lake-enabled log table is a union read: Iceberg up to the offsets of its
 * newest snapshot, then the hot rows after them. Retention has deleted the oldest hot rows, so
 * they exist only in Iceberg; the newest exist only in the hot tier.
 */
// Streaming reads block on their results: a regression fails the test instead of hanging CI.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UnionReadITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).lake()
            .serverOption("log.segment.size", "1 kb")
            .serverOption("log.retention.check-interval", "100 ms")
            .build();

    @Test
    void aBatchReadSeesEveryRowOnceAcrossTheBoundary() throws Exception {
        TableEnvironment sql = batchSql();
        createLakeLogTable(sql, "events");
        TablePath path = TablePath.of("shop", "events");
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            long tableId = admin.getTable(path).get().tableId();
            append(connection, 0, 200); // one batch per row: many small segments
            Map<TableBucket, Long> tieredEnds = ends(admin, path, tableId);

            TieringRounds.tierUntil(CLUSTER, path, tieredEnds);
            TestCluster.waitUntil(() -> admin.listOffsets(path, List.of(0, 1), OffsetSpec.earliest()).join().values()
                    .stream().allMatch(earliest -> earliest > 0), Duration.ofSeconds(30),
                    "retention deletes tiered rows from the hot tier");

            append(connection, 200, 50); // hot only
            List<Long> ids = new ArrayList<>();
            try (CloseableIterator<Row> rows = sql.executeSql("SELECT id, v FROM shop.events").collect()) {
                rows.forEachRemaining(row -> {
                    assertThat(row.getField(1)).isEqualTo("v" + row.getField(0));
                    ids.add((Long) row.getField(0));
                });
            }
            assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                    LongStream.range(0, 250).boxed().collect(Collectors.toList()));

            // Filters reach the lake half too (Iceberg skips by them), and the answer spans both tiers.
            String filtered = "SELECT v FROM shop.events WHERE id >= 150 AND id < 230";
            assertThat(sql.explainSql(filtered)).contains("filter=[and(>=(id, 150");
            List<String> values = new ArrayList<>();
            try (CloseableIterator<Row> rows = sql.executeSql(filtered).collect()) {
                rows.forEachRemaining(row -> values.add((String) row.getField(0)));
            }
            assertThat(values).containsExactlyInAnyOrderElementsOf(LongStream.range(150, 230).mapToObj(id -> "v" + id)
                    .collect(Collectors.toList()));

            // Metadata columns come from the lake's system columns and from the hot log alike: every
            // row's (bucket, offset) is distinct, and each bucket's offsets run from 0 without a gap.
            sql.executeSql("ALTER TABLE shop.events ADD (pos BIGINT METADATA FROM 'offset' VIRTUAL,"
                    + " b INT METADATA FROM 'bucket' VIRTUAL)");
            Map<Integer, List<Long>> offsets = new TreeMap<>();
            try (CloseableIterator<Row> rows = sql.executeSql("SELECT b, pos FROM shop.events").collect()) {
                rows.forEachRemaining(row -> offsets.computeIfAbsent((Integer) row.getField(0), b -> new ArrayList<>())
                        .add((Long) row.getField(1)));
            }
            assertThat(offsets.values()).allSatisfy(bucket -> assertThat(bucket).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(LongStream.range(0, bucket.size()).boxed()
                            .collect(Collectors.toList())));
            assertThat(offsets.values().stream().mapToInt(List::size).sum()).isEqualTo(250);

            // t$lake is Iceberg alone, read by Iceberg's Flink source: the tiered rows only.
            assertThat(single(sql, "SELECT COUNT(*), MIN(id), MAX(id) FROM `shop`.`events$lake`"))
                    .isEqualTo(Row.of(200L, 0L, 199L));
            assertThat(single(sql, "SELECT COUNT(*) FROM `shop`.`events$lake$snapshots`").getField(0)).isEqualTo(1L);
            // Iceberg's own filter pushdown reaches its scan.
            assertThat(sql.explainSql("SELECT v FROM `shop`.`events$lake` WHERE id = 7")).contains("filter=[=(id, 7");
        }
    }

    @Test
    void aStreamingReadStartsInTheLakeAndContinuesInTheLiveLog() throws Exception {
        TableEnvironment batch = batchSql();
        createLakeLogTable(batch, "clicks");
        TablePath path = TablePath.of("shop", "clicks");
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            append(connection, path, 0, 100);
            TieringRounds.tierUntil(CLUSTER, path, ends(admin, path, admin.getTable(path).get().tableId()));
            TestCluster.waitUntil(() -> admin.listOffsets(path, List.of(0, 1), OffsetSpec.earliest()).join().values()
                    .stream().allMatch(earliest -> earliest > 0), Duration.ofSeconds(30),
                    "retention deletes tiered rows from the hot tier");
            append(connection, path, 100, 20); // after the boundary, before the read

            TableEnvironment streaming = sql(EnvironmentSettings.inStreamingMode());
            List<Long> ids = new ArrayList<>();
            try (CloseableIterator<Row> rows = streaming.executeSql("SELECT id FROM shop.clicks").collect()) {
                while (ids.size() < 120) {
                    ids.add((Long) rows.next().getField(0));
                }
                append(connection, path, 120, 30); // written while the read runs
                while (ids.size() < 150) {
                    ids.add((Long) rows.next().getField(0));
                }
            }
            assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                    LongStream.range(0, 150).boxed().collect(Collectors.toList()));
        }
    }

    /** Slows rows down (so checkpoints fall inside the lake read) and fails the job once at each of its ids. */
    public static final class SlowFailAt extends ScalarFunction {
        /** Ids still to fail at: 20 of them, spread over the read. */
        static final Set<Long> PENDING = ConcurrentHashMap.newKeySet();

        public Long eval(Long id) throws InterruptedException {
            Thread.sleep(1);
            if (PENDING.remove(id)) {
                throw new IllegalStateException("injected failure at id " + id);
            }
            return id;
        }
    }

    @Test
    void aStreamingReadRestoredTwentyTimesInsideLakeSplitsOfManyManifestsEmitsEveryRowOnce() throws Exception {
        TableEnvironment batch = batchSql();
        batch.executeSql("CREATE TABLE shop.history (id BIGINT NOT NULL, v STRING) WITH ('bucket.num' = '2',"
                + " 'table.datalake.enabled' = 'true', 'table.datalake.freshness' = '1 s')");
        batch.executeSql("CREATE TABLE shop.history_copy (id BIGINT NOT NULL, v STRING) WITH ('bucket.num' = '2')");
        TablePath path = TablePath.of("shop", "history");
        int rounds = 6;
        long rows = 3000;
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            long tableId = admin.getTable(path).get().tableId();
            // One tiering round per part: the lake snapshot read below has a manifest per round, which
            // Iceberg plans in parallel, in no fixed order.
            for (int round = 0; round < rounds; round++) {
                try (AppendWriter writer = connection.table(path).newAppendWriter()) {
                    for (long id = round * rows / rounds; id < (round + 1) * rows / rounds; id++) {
                        writer.append(GenericRow.of(id, BinaryString.fromString("v" + id)));
                    }
                    writer.flush();
                }
                TieringRounds.tierUntil(CLUSTER, path, ends(admin, path, tableId));
            }
            long snapshotId = admin.getLakeSnapshot(path).get().orElseThrow().snapshotId();
            try (LakeCatalog lake = new LakeCatalog(Map.of("lake.catalog.warehouse",
                    CLUSTER.lakeWarehouse().toString()))) {
                TableInfo info = admin.getTable(path).get();
                org.apache.iceberg.Table iceberg = lake.loadTable(new LakeTableLayout(path, tableId, info.schema(),
                        info.partitionKeys(), info.bucketKeys(), info.bucketCount()));
                assertThat(iceberg.snapshot(snapshotId).allManifests(iceberg.io())).hasSizeGreaterThanOrEqualTo(5);
            }

            SlowFailAt.PENDING.clear();
            LongStream.range(0, 20).forEach(i -> SlowFailAt.PENDING.add(100 + i * (rows - 200) / 20));
            TableEnvironment streaming = sql(EnvironmentSettings.inStreamingMode());
            streaming.getConfig().set("execution.checkpointing.interval", "100 ms");
            streaming.getConfig().set("restart-strategy.type", "fixed-delay");
            streaming.getConfig().set("restart-strategy.fixed-delay.attempts", "100");
            streaming.getConfig().set("restart-strategy.fixed-delay.delay", "100 ms");
            streaming.createTemporarySystemFunction("slow_fail_at", SlowFailAt.class);
            JobClient job = streaming.executeSql("INSERT INTO shop.history_copy"
                    + " /*+ OPTIONS('sink.delivery-guarantee' = 'exactly-once') */"
                    + " SELECT slow_fail_at(id), v FROM shop.history").getJobClient().orElseThrow();
            try {
                TestCluster.waitUntil(() -> SlowFailAt.PENDING.isEmpty() && admin.listOffsets(TablePath.of("shop",
                        "history_copy"), List.of(0, 1), OffsetSpec.latest()).join().values().stream()
                        .mapToLong(Long::longValue).sum() >= rows, Duration.ofSeconds(150),
                        "20 failures and " + rows + " rows copied");
            } finally {
                job.cancel().get();
            }
        }
        List<Long> ids = new ArrayList<>();
        try (CloseableIterator<Row> copied = batch.executeSql("SELECT id FROM shop.history_copy").collect()) {
            copied.forEachRemaining(row -> ids.add((Long) row.getField(0)));
        }
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                LongStream.range(0, rows).boxed().collect(Collectors.toList()));
    }

    @Test
    void lakeViewsOfTablesWithoutALakeAreErrorsNamingTableAndOption() {
        TableEnvironment sql = batchSql();
        sql.executeSql("CREATE TABLE shop.hot_only (id BIGINT) WITH ('bucket.num' = '1')");
        assertThatThrownBy(() -> sql.executeSql("SELECT * FROM `shop`.`hot_only$lake`"))
                .hasStackTraceContaining("shop.hot_only").hasStackTraceContaining("table.datalake.enabled");
        assertThatThrownBy(() -> sql.executeSql("SELECT * FROM `shop`.`hot_only$lake$snapshots`"))
                .hasStackTraceContaining("table.datalake.enabled");
        sql.executeSql("CREATE TABLE shop.lake_only_reads (id BIGINT) WITH ('table.datalake.enabled' = 'true')");
        assertThatThrownBy(() -> sql.executeSql("INSERT INTO `shop`.`lake_only_reads$lake`"
                + " SELECT * FROM `shop`.`lake_only_reads$lake`")).hasStackTraceContaining("lake_only_reads$lake")
                .hasStackTraceContaining("read-only");
        assertThat(sql.executeSql("SHOW TABLES IN shop").collect()).toIterable().isNotEmpty();
    }

    @Test
    void aBatchReadOfAPrimaryKeyTableIsItsCurrentStateAcrossTheBoundaryAndAnAddedColumn() throws Exception {
        TableEnvironment sql = batchSql();
        sql.executeSql("CREATE TABLE shop.stock (sku INT NOT NULL, qty BIGINT, PRIMARY KEY (sku) NOT ENFORCED)"
                + " WITH ('bucket.num' = '2', 'table.datalake.enabled' = 'true', 'table.datalake.freshness' = '1 s')");
        TablePath path = TablePath.of("shop", "stock");
        Map<Integer, String> expected = new TreeMap<>();
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            long tableId = admin.getTable(path).get().tableId();
            try (UpsertWriter writer = connection.table(path).newUpsertWriter()) {
                for (int sku = 0; sku < 100; sku++) {
                    writer.upsert(GenericRow.of(sku, (long) sku));
                    expected.put(sku, Long.toString(sku));
                }
                writer.flush();
            }
            Map<TableBucket, Long> tieredEnds = ends(admin, path, tableId);
            TieringRounds.tierUntil(CLUSTER, path, tieredEnds);

            // A column added after the boundary: the lake's files lack it, the hot rows have it.
            sql.executeSql("ALTER TABLE shop.stock ADD note STRING");
            expected.replaceAll((sku, row) -> row + "/null");
            // After the boundary: updates and deletes of tiered keys, and new keys, only in the hot tier.
            try (UpsertWriter writer = connection.table(path).newUpsertWriter()) {
                for (int sku = 0; sku < 100; sku += 3) {
                    writer.upsert(GenericRow.of(sku, -1L, BinaryString.fromString("u")));
                    expected.put(sku, "-1/u");
                }
                for (int sku = 1; sku < 100; sku += 5) {
                    writer.delete(GenericRow.of(sku, null, null));
                    expected.remove(sku);
                }
                for (int sku = 100; sku < 120; sku++) {
                    writer.upsert(GenericRow.of(sku, (long) sku, null));
                    expected.put(sku, sku + "/null");
                }
                writer.flush();
            }
            Map<Integer, String> actual = new TreeMap<>();
            try (CloseableIterator<Row> rows = sql.executeSql("SELECT sku, qty, note FROM shop.stock").collect()) {
                rows.forEachRemaining(row -> assertThat(actual.put((Integer) row.getField(0), row.getField(1) + "/"
                        + row.getField(2))).as("sku %s twice", row.getField(0)).isNull());
            }
            assertThat(actual).isEqualTo(expected);
        }
    }

    /** A lake-enabled log table of 2 buckets whose tiered rows retention removes from the hot tier at once. */
    private static void createLakeLogTable(TableEnvironment sql, String name) {
        sql.executeSql("CREATE TABLE shop." + name + " (id BIGINT NOT NULL, v STRING) WITH ('bucket.num' = '2',"
                + " 'bucket.key' = 'id', 'table.datalake.enabled' = 'true', 'table.datalake.freshness' = '1 s',"
                + " 'table.log.ttl' = '1 ms')");
    }

    /** A batch SQL session with the catalog in use and database {@code shop}. */
    private static TableEnvironment batchSql() {
        return sql(EnvironmentSettings.inBatchMode());
    }

    private static TableEnvironment sql(EnvironmentSettings settings) {
        TableEnvironment sql = TableEnvironment.create(settings);
        // No lake options: the catalog learns the cluster's lake catalog.
        sql.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                + CLUSTER.bootstrapServers() + "')");
        sql.executeSql("USE CATALOG tc");
        sql.executeSql("CREATE DATABASE IF NOT EXISTS shop");
        return sql;
    }

    private static Row single(TableEnvironment sql, String query) throws Exception {
        try (CloseableIterator<Row> rows = sql.executeSql(query).collect()) {
            return rows.next();
        }
    }

    private static void append(Connection connection, long from, int count) throws Exception {
        append(connection, TablePath.of("shop", "events"), from, count);
    }

    private static void append(Connection connection, TablePath path, long from, int count) throws Exception {
        try (AppendWriter writer = connection.table(path).newAppendWriter()) {
            for (long id = from; id < from + count; id++) {
                writer.append(GenericRow.of(id, BinaryString.fromString("v" + id))).get();
            }
        }
    }

    private static Map<TableBucket, Long> ends(Admin admin, TablePath path, long tableId) {
        Map<TableBucket, Long> ends = new TreeMap<>();
        admin.listOffsets(path, List.of(0, 1), OffsetSpec.latest()).join().forEach((bucket, end) -> {
            if (end > 0) {
                ends.put(new TableBucket(tableId, bucket), end);
            }
        });
        return ends;
    }
}
