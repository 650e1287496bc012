package io.thermocline.tiering;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.client.api.LogBatches;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordReader;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.TimestampLtz;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.lake.LakeTableLayout;
import io.thermocline.lake.TieredOffsets;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.tiering.committer.LakeCommitter;
import io.thermocline.tiering.committer.LakeMaintenance;
import io.thermocline.tiering.source.RoundInfo;
import io.thermocline.tiering.writer.BucketTierWriter;

import org.apache.arrow.memory.RootAllocator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * The tiering job on a Flink MiniCluster against a real cluster and a real Iceberg warehouse:
 * after every round, the Iceberg table as Iceberg's own generic reader sees it equals the hot
 * table at that round's offsets.
 */
class TieringITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1)
            .lake()
            .serverOption("coordinator.tiering.heartbeat-timeout", "3 s")
            .serverOption("coordinator.tiering.retry-delay", "200 ms")
            .build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Faults still to inject, by table id: each fires once. */
    static final Map<Long, Set<TieringFaults.Point>> FAULTS = new ConcurrentHashMap<>();

    static void inject(TieringFaults.Point point, long tableId) {
        Set<TieringFaults.Point> planned = FAULTS.get(tableId);
        if (planned != null && planned.remove(point)) {
            throw new TieringFaults.InjectedFault(point, tableId);
        }
    }

    static final long MAX_ROUND_OFFSETS = 150;

    static Connection connection;
    static Admin admin;
    static LakeCatalog lake;
    static JobClient job;

    @BeforeAll
    static void startTiering() throws Exception {
        connection = ConnectionFactory.create(CLUSTER.clientConf());
        admin = connection.admin();
        admin.createDatabase("lake", null, true).get();
        lake = new LakeCatalog(Map.of("lake.catalog.warehouse", CLUSTER.lakeWarehouse().toString()));
        org.apache.flink.configuration.Configuration flink = new org.apache.flink.configuration.Configuration();
        flink.setString("restart-strategy.type", "fixed-delay");
        flink.setString("restart-strategy.fixed-delay.attempts", "1000");
        flink.setString("restart-strategy.fixed-delay.delay", "200 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        TieringJob.of(jobConf()).withParallelism(2).withFaults(TieringITCase::inject).addTo(env);
        job = env.executeAsync("tiering");
    }

    static Map<String, String> jobConf() {
        Map<String, String> conf = new HashMap<>();
        conf.put("bootstrap.servers", CLUSTER.bootstrapServers());
        conf.put("lake.catalog.warehouse", CLUSTER.lakeWarehouse().toString());
        conf.put(TieringOptions.POLL_INTERVAL.key(), "100 ms");
        conf.put(TieringOptions.HEARTBEAT_INTERVAL.key(), "500 ms");
        // Small enough that most tests' rounds are bounded too.
        conf.put(TieringOptions.MAX_ROUND_OFFSETS.key(), String.valueOf(MAX_ROUND_OFFSETS));
        return conf;
    }

    @AfterAll
    static void stop() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        lake.close();
        connection.close();
    }

    private static final Schema ORDERS = Schema.builder()
            .column("id", DataTypes.BIGINT().notNull())
            .column("customer", DataTypes.STRING())
            .column("amount", DataTypes.DECIMAL(10, 2))
            .column("big", DataTypes.DECIMAL(30, 4))
            .column("placed", DataTypes.TIMESTAMP_LTZ(3))
            .column("day", DataTypes.DATE())
            .column("rush", DataTypes.BOOLEAN())
            .column("weight", DataTypes.DOUBLE())
            .column("items", DataTypes.SMALLINT())
            .build();

    @Test
    void everyRoundOfALogTableLandsInIcebergOnceAndInFull() throws Exception {
        TablePath path = TablePath.of("lake", "orders");
        admin.createTable(path, TableDescriptor.builder(ORDERS).buckets(3)
                .options(Map.of("table.datalake.enabled", "true", "table.datalake.freshness", "1 s")).build(), false).get();
        Table table = connection.table(path);
        Map<Long, GenericRow> written = new TreeMap<>();
        long id = 0;
        for (int round = 0; round < 4; round++) {
            try (AppendWriter writer = table.newAppendWriter()) {
                for (int i = 0; i < 700; i++, id++) {
                    GenericRow row = GenericRow.of(id, id % 5 == 0 ? null : BinaryString.fromString("customer-" + id % 17),
                            new BigDecimal(id).movePointLeft(2), new BigDecimal("12345678901234567890.1234").add(
                                    BigDecimal.valueOf(id)), TimestampLtz.fromEpochMillis(1_700_000_000_000L + id),
                            (int) LocalDate.of(2026, 11, 23).toEpochDay() + (int) (id % 3), id % 2 == 0, id * 0.5,
                            (short) (id % 100));
                    writer.append(row);
                    written.put(id, row);
                }
                writer.flush();
            }
            Map<TableBucket, Long> ends = hotEnds(path, table.info().tableId(), 3);
            LakeSnapshot snapshot = awaitTiered(path, ends);

            org.apache.iceberg.Table iceberg = lake.loadTable(new LakeTableLayout(path, table.info().tableId(), ORDERS,
                    List.of(), List.of(), 3));
            assertThat(iceberg.currentSnapshot().snapshotId()).isEqualTo(snapshot.snapshotId());
            assertThat(TieredOffsets.of(iceberg.currentSnapshot()).orElseThrow().endOffsets())
                    .isEqualTo(snapshot.endOffsets());
            List<Record> records = readAll(iceberg);
            assertThat(records).hasSize(written.size());
            Map<Long, Record> byId = records.stream().collect(Collectors.toMap(r -> (Long) r.getField("id"), r -> r));
            assertThat(byId.keySet()).isEqualTo(written.keySet());
            for (Map.Entry<Long, GenericRow> entry : written.entrySet()) {
                Record record = byId.get(entry.getKey());
                GenericRow row = entry.getValue();
                assertThat(record.getField("customer")).isEqualTo(row.isNullAt(1) ? null : row.getString(1).toString());
                assertThat(record.getField("amount")).isEqualTo(row.getDecimal(2, 10, 2));
                assertThat(record.getField("big")).isEqualTo(row.getDecimal(3, 30, 4));
                assertThat(((java.time.OffsetDateTime) record.getField("placed")).toInstant().toEpochMilli())
                        .isEqualTo(row.getTimestampLtz(4, 3).epochMillis());
                assertThat(record.getField("day")).isEqualTo(LocalDate.ofEpochDay(row.getInt(5)));
                assertThat(record.getField("rush")).isEqualTo(row.getBoolean(6));
                assertThat(record.getField("weight")).isEqualTo(row.getDouble(7));
                assertThat(record.getField("items")).isEqualTo((int) row.getShort(8));
            }
            // Every (bucket, offset) once, and offsets below each bucket's tiered end.
            Map<Integer, List<Long>> offsets = records.stream().collect(Collectors.groupingBy(
                    r -> (Integer) r.getField("__bucket"), Collectors.mapping(r -> (Long) r.getField("__offset"),
                            Collectors.toList())));
            offsets.forEach((bucket, list) -> assertThat(list).doesNotHaveDuplicates()
                    .allSatisfy(o -> assertThat(o).isLessThan(ends.get(new TableBucket(table.info().tableId(), bucket)))));
        }
    }

    private static final Schema STOCK = Schema.builder()
            .column("sku", DataTypes.INT().notNull())
            .column("name", DataTypes.STRING())
            .column("qty", DataTypes.BIGINT())
            .primaryKey("sku")
            .build();

    @Test
    void aPrimaryKeyTableInIcebergEqualsTheHotStateAfterEveryRound() throws Exception {
        TablePath path = TablePath.of("lake", "stock");
        admin.createTable(path, TableDescriptor.builder(STOCK).buckets(2)
                .options(Map.of("table.datalake.enabled", "true", "table.datalake.freshness", "1 s")).build(), false).get();
        Table table = connection.table(path);
        Map<Integer, List<Object>> expected = new TreeMap<>();
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 5; round++) {
            try (UpsertWriter writer = table.newUpsertWriter()) {
                for (int i = 0; i < 400; i++) {
                    int sku = random.nextInt(300);
                    if (random.nextInt(5) == 0) {
                        writer.delete(GenericRow.of(sku, null, null));
                        expected.remove(sku);
                    } else {
                        String name = "item-" + sku + "-r" + round + "-" + i;
                        long qty = random.nextInt(1000);
                        writer.upsert(GenericRow.of(sku, BinaryString.fromString(name), qty));
                        expected.put(sku, List.of(name, qty));
                    }
                }
                writer.flush();
                // A batch that changes nothing: a no-op marker in the log, which tiering passes over.
                writer.delete(GenericRow.of(10_000 + round, null, null));
                writer.flush();
            }
            awaitTiered(path, hotEnds(path, table.info().tableId(), 2));
            org.apache.iceberg.Table iceberg = lake.loadTable(new LakeTableLayout(path, table.info().tableId(), STOCK,
                    List.of(), List.of("sku"), 2));
            Map<Integer, List<Object>> actual = new TreeMap<>();
            for (Record record : readAll(iceberg)) {
                List<Object> previous = actual.put((Integer) record.getField("sku"),
                        List.of(record.getField("name"), record.getField("qty")));
                assertThat(previous).as("sku %s twice in the lake", record.getField("sku")).isNull();
            }
            assertThat(actual).as("lake after round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void columnsAddedToATieredTableReachIcebergWithNullForOlderRows() throws Exception {
        TablePath path = TablePath.of("lake", "evolving");
        admin.createTable(path, TableDescriptor.builder(STOCK).buckets(2)
                .options(Map.of("table.datalake.enabled", "true", "table.datalake.freshness", "1 s")).build(), false).get();
        Table before = connection.table(path);
        long tableId = before.info().tableId();
        try (UpsertWriter oldWriter = before.newUpsertWriter()) {
            for (int sku = 0; sku < 20; sku++) {
                oldWriter.upsert(GenericRow.of(sku, BinaryString.fromString("v1-" + sku), (long) sku));
            }
            oldWriter.flush();
            awaitTiered(path, hotEnds(path, tableId, 2));

            admin.addColumns(path, List.of(new io.thermocline.common.types.DataField("price",
                    DataTypes.DECIMAL(10, 2)))).get();
            try (UpsertWriter newWriter = connection.table(path).newUpsertWriter()) {
                for (int sku = 0; sku < 10; sku++) { // rewrite half the keys with a price
                    newWriter.upsert(GenericRow.of(sku, BinaryString.fromString("v2-" + sku), (long) sku,
                            java.math.BigDecimal.valueOf(sku, 2)));
                }
                newWriter.upsert(GenericRow.of(100, BinaryString.fromString("new"), 1L, BigDecimal.ONE.setScale(2)));
                newWriter.flush();
            }
            // A writer of the old schema after the ALTER: its rows widen with a null price.
            oldWriter.upsert(GenericRow.of(5, BinaryString.fromString("v1-again"), 5L));
            oldWriter.flush();
        }
        awaitTiered(path, hotEnds(path, tableId, 2));

        Schema latest = admin.getTable(path).get().schema();
        org.apache.iceberg.Table iceberg = lake.loadTable(new LakeTableLayout(path, tableId, latest, List.of(),
                List.of("sku"), 2));
        assertThat(iceberg.schema().columns().get(3).name()).isEqualTo("price"); // before the system columns
        Map<Integer, List<Object>> actual = new TreeMap<>();
        for (Record record : readAll(iceberg)) {
            List<Object> values = new ArrayList<>();
            values.add(record.getField("name"));
            values.add(record.getField("price"));
            assertThat(actual.put((Integer) record.getField("sku"), values)).isNull();
        }
        assertThat(actual).hasSize(21);
        assertThat(actual.get(3)).containsExactly("v2-3", new BigDecimal("0.03"));
        assertThat(actual.get(5)).containsExactly("v1-again", null);
        assertThat(actual.get(15)).containsExactly("v1-15", null);
        assertThat(actual.get(100)).containsExactly("new", new BigDecimal("1.00"));
    }

    @Test
    void aPartitionedTableLandsInTheIcebergPartitionOfItsValues() throws Exception {
        TablePath path = TablePath.of("lake", "daily");
        Schema schema = Schema.builder().column("id", DataTypes.BIGINT().notNull()).column("day", DataTypes.DATE().notNull())
                .column("amount", DataTypes.INT()).build();
        long tableId = admin.createTable(path, TableDescriptor.builder(schema).buckets(2, "id").partitionedBy("day")
                .options(Map.of("table.datalake.enabled", "true", "table.datalake.freshness", "1 s")).build(), false).get();
        Table table = connection.table(path);
        int firstDay = (int) LocalDate.of(2026, 11, 21).toEpochDay();
        try (AppendWriter writer = table.newAppendWriter()) {
            for (long id = 0; id < 900; id++) {
                writer.append(GenericRow.of(id, firstDay + (int) (id % 3), (int) id));
            }
            writer.flush();
        }
        Map<TableBucket, Long> ends = new TreeMap<>();
        for (var partition : admin.listPartitions(path).get()) {
            admin.listOffsets(path, partition.partitionId(), List.of(0, 1), OffsetSpec.latest()).get()
                    .forEach((bucket, end) -> {
                        if (end > 0) {
                            ends.put(new TableBucket(tableId, partition.partitionId(), bucket), end);
                        }
                    });
        }
        assertThat(ends.keySet().stream().map(TableBucket::partitionId).distinct()).as("one partition per day").hasSize(3);
        awaitTiered(path, ends);
        org.apache.iceberg.Table iceberg = lake.loadTable(new LakeTableLayout(path, tableId, schema, List.of("day"),
                List.of("id"), 2));
        List<Record> records = readAll(iceberg);
        assertThat(records).extracting(r -> (Long) r.getField("id")).containsExactlyInAnyOrderElementsOf(
                LongStream.range(0, 900).boxed().collect(Collectors.toList()));
        assertThat(records).allSatisfy(r -> assertThat(((LocalDate) r.getField("day")).toEpochDay())
                .isEqualTo(firstDay + (Long) r.getField("id") % 3));
        // Each file sits in the partition of the day and the bucket its rows have: hot bucket b is lake bucket b.
        int dayId = iceberg.schema().findField("day").fieldId();
        try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks = iceberg.newScan().includeColumnStats()
                .planFiles()) {
            for (org.apache.iceberg.FileScanTask task : tasks) {
                int day = task.file().partition().get(0, Integer.class);
                assertThat((Integer) org.apache.iceberg.types.Conversions.fromByteBuffer(
                        org.apache.iceberg.types.Types.DateType.get(), task.file().lowerBounds().get(dayId))).isEqualTo(day);
                assertThat((Integer) org.apache.iceberg.types.Conversions.fromByteBuffer(
                        org.apache.iceberg.types.Types.DateType.get(), task.file().upperBounds().get(dayId))).isEqualTo(day);
            }
        }
        for (Record record : records) {
            long id = (Long) record.getField("id");
            int bucket = (Integer) record.getField("__bucket");
            assertThat(org.apache.iceberg.transforms.Transforms.bucket(2).bind(org.apache.iceberg.types.Types.LongType.get())
                    .apply(id)).as("Iceberg's bucket of id %d", id).isEqualTo(bucket);
        }
    }

    @Test
    void aCrashAtAnyStepOfARoundLosesAndDuplicatesNothing() throws Exception {
        for (TieringFaults.Point point : TieringFaults.Point.values()) {
            TablePath path = TablePath.of("lake", "faulty_" + point.name().toLowerCase());
            long tableId = createLakeOrders(path, 2, "1 s");
            FAULTS.put(tableId, ConcurrentHashMap.newKeySet());
            FAULTS.get(tableId).add(point);
            Table table = connection.table(path);
            appendOrders(table, 0, 600);
            awaitTiered(path, hotEnds(path, tableId, 2));
            assertThat(FAULTS.get(tableId)).as("the fault at %s fired", point).isEmpty();
            appendOrders(table, 600, 300); // and the rounds after it are whole too
            awaitTiered(path, hotEnds(path, tableId, 2));
            List<Record> records = readAll(lake.loadTable(new LakeTableLayout(path, tableId, ORDERS, List.of(), List.of(), 2)));
            assertThat(records).extracting(r -> (Long) r.getField("id")).as("after a crash at %s", point)
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                            LongStream.range(0, 900).boxed().collect(Collectors.toList()));
        }
    }

    @Test
    void ofTwoRoundsRacingFromTheSameLakeStateOnlyTheFirstCommits() throws Exception {
        TablePath path = TablePath.of("lake", "raced");
        // A freshness the running job never reaches during the test: the rounds here are driven by hand.
        long tableId = admin.createTable(path, TableDescriptor.builder(STOCK).buckets(1)
                .options(Map.of("table.datalake.enabled", "true", "table.datalake.freshness", "1 h")).build(), false).get();
        Table table = connection.table(path);
        try (UpsertWriter writer = table.newUpsertWriter()) {
            for (int sku = 0; sku < 50; sku++) {
                writer.upsert(GenericRow.of(sku, BinaryString.fromString("first"), (long) sku));
            }
            for (int sku = 0; sku < 50; sku += 2) {
                writer.upsert(GenericRow.of(sku, BinaryString.fromString("second"), (long) -sku));
            }
            writer.delete(GenericRow.of(7, null, null));
            writer.flush();
        }
        long end = admin.listOffsets(path, List.of(0), OffsetSpec.latest()).get().get(0);
        long middle = end / 2;
        TieredTable tiered = TieredTable.load(connection, lake, path, tableId);
        TableBucket bucket = new TableBucket(tableId, 0);
        // Three rounds planned from the same (empty) lake: the first commits; one over the same rows
        // finds them committed; one over more rows conflicts. Each must leave no duplicate behind.
        RoundInfo first = new RoundInfo(tableId, "lake", "raced", 1, 1, "", false, false);
        RoundInfo same = new RoundInfo(tableId, "lake", "raced", 2, 1, "", false, false);
        RoundInfo wider = new RoundInfo(tableId, "lake", "raced", 3, 1, "", false, false);
        List<ContentFile<?>> firstFiles = writeBucket(tiered, first, bucket, 0, middle);
        List<ContentFile<?>> sameFiles = writeBucket(tiered, same, bucket, 0, middle);
        List<ContentFile<?>> widerFiles = writeBucket(tiered, wider, bucket, 0, end);

        LakeCommitter committer = new LakeCommitter(connection.tiering(), TieringFaults.NONE);
        assertThat(committer.commit(first, tiered, Map.of(bucket, middle), firstFiles))
                .isEqualTo(LakeCommitter.Outcome.COMMITTED);
        assertThat(committer.commit(same, TieredTable.load(connection, lake, path, tableId), Map.of(bucket, middle),
                sameFiles)).isEqualTo(LakeCommitter.Outcome.ALREADY_COMMITTED);
        assertThat(committer.commit(wider, TieredTable.load(connection, lake, path, tableId), Map.of(bucket, end),
                widerFiles)).isEqualTo(LakeCommitter.Outcome.CONFLICT);
        assertThat(concat(sameFiles, widerFiles)).allSatisfy(f -> assertThat(Path.of(java.net.URI.create(f.location())
                .getPath())).as("the losing rounds' files are deleted").doesNotExist());
        // The next round starts from what the lake holds and completes the table.
        RoundInfo next = new RoundInfo(tableId, "lake", "raced", 4, 1, "0=" + middle, true, false);
        assertThat(committer.commit(next, TieredTable.load(connection, lake, path, tableId), Map.of(bucket, end),
                writeBucket(tiered, next, bucket, middle, end))).isEqualTo(LakeCommitter.Outcome.COMMITTED);

        Map<Integer, List<Object>> actual = new TreeMap<>();
        for (Record record : readAll(tiered.lake())) {
            assertThat(actual.put((Integer) record.getField("sku"), List.of(record.getField("name"),
                    record.getField("qty")))).isNull();
        }
        assertThat(actual).hasSize(49).doesNotContainKey(7);
        assertThat(actual.get(4)).isEqualTo(List.of("second", -4L));
        assertThat(actual.get(5)).isEqualTo(List.of("first", 5L));
    }

    @Test
    void aCompactionPlannedBeforeARoundNeverRestatesTheOlderOffsets() throws Exception {
        TablePath path = TablePath.of("lake", "compaction_race");
        long tableId = createLakeOrders(path, 1, "1 h");
        Table table = connection.table(path);
        TableBucket bucket = new TableBucket(tableId, 0);
        LakeCommitter committer = new LakeCommitter(connection.tiering(), TieringFaults.NONE);
        long tiered = 0;
        org.apache.iceberg.Snapshot base = null;
        for (int round = 1; round <= LakeMaintenance.COMPACT_AT + 1; round++) {
            appendOrders(table, (round - 1) * 10L, 10);
            long end = hotEnds(path, tableId, 1).get(bucket);
            TieredTable lakeTable = TieredTable.load(connection, lake, path, tableId);
            RoundInfo info = new RoundInfo(tableId, "lake", "compaction_race", round, 1, tiered == 0 ? "" : "0=" + tiered,
                    tiered > 0, false);
            assertThat(committer.commit(info, lakeTable, Map.of(bucket, end), writeBucket(lakeTable, info, bucket,
                    tiered, end))).isEqualTo(LakeCommitter.Outcome.COMMITTED);
            tiered = end;
            if (round == LakeMaintenance.COMPACT_AT) {
                base = lakeTable.lake().currentSnapshot(); // the compaction below plans from here
            }
        }
        TieredTable lakeTable = TieredTable.load(connection, lake, path, tableId);
        org.apache.iceberg.Table iceberg = lakeTable.lake();
        LakeMaintenance maintenance = new LakeMaintenance(128 << 20);
        // A round landed after the compaction's base: restating the base's offsets would make the next
        // round tier that round's rows again.
        assertThat(maintenance.compact(iceberg, base, false, lakeTable.partitionTuple(bucket))).isFalse();
        iceberg.refresh();
        assertThat(TieredOffsets.latest(iceberg).orElseThrow().getValue().endOffsets()).isEqualTo(Map.of(bucket, tiered));
        // Planned from the newest snapshot, it packs the files and carries the newest offsets on.
        assertThat(maintenance.compact(iceberg, iceberg.currentSnapshot(), false, lakeTable.partitionTuple(bucket)))
                .isTrue();
        iceberg.refresh();
        assertThat(TieredOffsets.of(iceberg.currentSnapshot()).orElseThrow().endOffsets())
                .isEqualTo(Map.of(bucket, tiered));
        assertThat(readAll(iceberg)).extracting(r -> (Long) r.getField("id")).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 10L * (LakeMaintenance.COMPACT_AT + 1)).boxed()
                        .collect(Collectors.toList()));
    }

    /**
     * A backlog far past the bound is tiered in bounded rounds, each the next at once: with a
     * freshness of 10 s, rounds a freshness apart would not catch up within the wait.
     */
    @Test
    void aBacklogIsTieredInBoundedRoundsBackToBack() throws Exception {
        TablePath path = TablePath.of("lake", "backlog");
        long tableId = createLakeOrders(path, 1, "10 s");
        appendOrders(connection.table(path), 0, 2_000);
        awaitTiered(path, hotEnds(path, tableId, 1));
        org.apache.iceberg.Table iceberg = lake.loadTable(new LakeTableLayout(path, tableId, ORDERS, List.of(), List.of(),
                1));
        List<Long> ends = new ArrayList<>();
        for (org.apache.iceberg.Snapshot snapshot : iceberg.snapshots()) {
            TieredOffsets.of(snapshot).ifPresent(o -> ends.add(o.endOffsets().get(new TableBucket(tableId, 0))));
        }
        assertThat(ends).as("one commit per bounded round").hasSizeGreaterThanOrEqualTo((int) (2_000 / MAX_ROUND_OFFSETS))
                .isSorted().endsWith(2_000L);
        for (int i = 0; i < ends.size(); i++) {
            assertThat(ends.get(i) - (i == 0 ? 0 : ends.get(i - 1))).isBetween(1L, MAX_ROUND_OFFSETS);
        }
        assertThat(readAll(iceberg)).extracting(r -> (Long) r.getField("id")).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 2_000).boxed().collect(Collectors.toList()));
    }

    @Test
    void tieringResumesFromTheCoordinatorsRecordWhenTheLakeLostItsOffsetsHistory() throws Exception {
        TablePath path = TablePath.of("lake", "history_lost");
        long tableId = createLakeOrders(path, 2, "1 s");
        Table table = connection.table(path);
        appendOrders(table, 0, 300);
        awaitTiered(path, hotEnds(path, tableId, 2));
        // An engine's commit that carries no offsets (a rewrite, say), then an operator's expiry of the
        // snapshots before it: the lake's history no longer says what was tiered.
        org.apache.iceberg.Table iceberg = lake.loadTable(new LakeTableLayout(path, tableId, ORDERS, List.of(), List.of(),
                2));
        iceberg.newFastAppend().commit();
        iceberg.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
        iceberg.refresh();
        assertThat(TieredOffsets.latest(iceberg)).isEmpty();
        appendOrders(table, 300, 200);
        awaitTiered(path, hotEnds(path, tableId, 2));
        assertThat(readAll(iceberg)).extracting(r -> (Long) r.getField("id")).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 500).boxed().collect(Collectors.toList()));
    }

    @Test
    void autoMaintenanceKeepsFilesPerBucketBoundedOverAHundredRounds() throws Exception {
        TablePath path = TablePath.of("lake", "maintained");
        long tableId = admin.createTable(path, TableDescriptor.builder(STOCK).buckets(2).options(Map.of(
                "table.datalake.enabled", "true", "table.datalake.freshness", "1 h",
                "table.datalake.auto-maintenance", "true", "table.datalake.snapshot-retention", "0 s")).build(), false).get();
        Table table = connection.table(path);
        LakeCommitter committer = new LakeCommitter(connection.tiering(), TieringFaults.NONE);
        LakeMaintenance maintenance = new LakeMaintenance(128 << 20);
        Map<Integer, List<Object>> expected = new TreeMap<>();
        Map<TableBucket, Long> tiered = new TreeMap<>();
        java.util.Random random = new java.util.Random(7);
        int maxFilesPerBucket = 0;
        for (int round = 1; round <= 100; round++) {
            try (UpsertWriter writer = table.newUpsertWriter()) {
                for (int i = 0; i < 20; i++) {
                    int sku = random.nextInt(100);
                    if (random.nextInt(4) == 0) {
                        writer.delete(GenericRow.of(sku, null, null));
                        expected.remove(sku);
                    } else {
                        writer.upsert(GenericRow.of(sku, BinaryString.fromString("r" + round), (long) i));
                        expected.put(sku, List.of("r" + round, (long) i));
                    }
                }
                writer.flush();
            }
            TieredTable lakeTable = TieredTable.load(connection, lake, path, tableId);
            Map<TableBucket, Long> ends = hotEnds(path, tableId, 2);
            RoundInfo info = new RoundInfo(tableId, "lake", "maintained", round, ends.size(),
                    new TieredOffsets(tableId, round - 1, tiered).encodedOffsets(), round > 1, false);
            List<ContentFile<?>> files = new ArrayList<>();
            Map<TableBucket, Long> moved = new TreeMap<>();
            for (Map.Entry<TableBucket, Long> end : ends.entrySet()) {
                long from = tiered.getOrDefault(end.getKey(), 0L);
                if (end.getValue() > from) {
                    files.addAll(writeBucket(lakeTable, info, end.getKey(), from, end.getValue()));
                    moved.put(end.getKey(), end.getValue());
                }
            }
            assertThat(committer.commit(info, lakeTable, moved, files)).isEqualTo(LakeCommitter.Outcome.COMMITTED);
            tiered.putAll(moved);
            maintenance.run(lakeTable.lake(), true, files.stream().map(ContentFile::partition).distinct()
                    .collect(Collectors.toList()), Duration.ZERO);

            org.apache.iceberg.Table iceberg = lakeTable.lake();
            iceberg.refresh();
            Map<Object, Long> perBucket = new HashMap<>();
            try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks = iceberg.newScan().planFiles()) {
                tasks.forEach(t -> perBucket.merge(t.file().partition().get(0, Integer.class), 1L, Long::sum));
            }
            maxFilesPerBucket = Math.max(maxFilesPerBucket, perBucket.values().stream().mapToInt(Long::intValue).max()
                    .orElse(0));
            assertThat(iceberg.snapshots()).as("expired snapshots").hasSizeLessThanOrEqualTo(2);
            if (round % 25 == 0) {
                Map<Integer, List<Object>> actual = new TreeMap<>();
                readAll(iceberg).forEach(r -> actual.put((Integer) r.getField("sku"), List.of(r.getField("name"),
                        r.getField("qty"))));
                assertThat(actual).as("lake after round %d", round).isEqualTo(expected);
            }
        }
        assertThat(maxFilesPerBucket).as("data files per bucket").isLessThanOrEqualTo(LakeMaintenance.COMPACT_AT);
        // Expired snapshots took the files only they reached: on disk is what the table references, and
        // what its current snapshot just replaced (Iceberg deletes those when that snapshot expires).
        org.apache.iceberg.Table iceberg = lake.loadTable(new LakeTableLayout(path, tableId, STOCK, List.of(),
                List.of("sku"), 2));
        java.util.Set<String> live = new java.util.HashSet<>();
        iceberg.currentSnapshot().removedDataFiles(iceberg.io()).forEach(f -> live.add(
                Path.of(java.net.URI.create(f.location()).getPath()).toString()));
        iceberg.currentSnapshot().removedDeleteFiles(iceberg.io()).forEach(f -> live.add(
                Path.of(java.net.URI.create(f.location()).getPath()).toString()));
        try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks = iceberg.newScan().planFiles()) {
            tasks.forEach(t -> {
                live.add(Path.of(java.net.URI.create(t.file().location()).getPath()).toString());
                t.deletes().forEach(d -> live.add(Path.of(java.net.URI.create(d.location()).getPath()).toString()));
            });
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(CLUSTER.lakeWarehouse()
                .resolve("lake").resolve("maintained").resolve("data"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".parquet")).map(Path::toString))
                    .containsExactlyInAnyOrderElementsOf(live);
        }
        System.out.println("Auto-maintenance over 100 rounds: at most " + maxFilesPerBucket + " data files per bucket");
    }

    /** What the lake writer produces for one bucket, outside Flink. */
    private static List<ContentFile<?>> writeBucket(TieredTable table, RoundInfo round, TableBucket bucket, long from,
            long to) {
        OutputFileFactory files = OutputFileFactory.builderFor(table.lake(), bucket.bucket(), round.epoch)
                .format(FileFormat.PARQUET).operationId(UUID.randomUUID().toString()).build();
        CodecFactory codecs = new CodecFactory(new org.apache.hadoop.conf.Configuration(), 1 << 20);
        BucketTierWriter writer = new BucketTierWriter(table.lake(), table.info().schema(), bucket.bucket(),
                table.partitionTuple(bucket), files, codecs, 128 << 20, 32 << 20);
        try (RootAllocator allocator = new RootAllocator();
                LogRecordReader reader = new LogRecordReader(bucket, table.info().schema().rowType(), allocator);
                LogScanner scanner = connection.table(round.path()).newLogScanner()) {
            scanner.subscribe(bucket.bucket(), from);
            long position = from;
            while (position < to) {
                for (LogBatches batches : scanner.pollBatches(Duration.ofSeconds(1))) {
                    for (LogRecordBatch batch : MemoryLogRecords.readableRecords(batches.batches()).batches()) {
                        writer.write(reader.read(batch), batches.fromOffset(), to);
                    }
                    position = batches.nextOffset();
                }
            }
            BucketTierWriter.Result result = writer.finish();
            List<ContentFile<?>> all = new ArrayList<>(result.dataFiles());
            all.addAll(result.deleteFiles());
            return all;
        } finally {
            writer.close();
            codecs.release();
        }
    }

    private static List<ContentFile<?>> concat(List<ContentFile<?>> a, List<ContentFile<?>> b) {
        List<ContentFile<?>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** An {@link #ORDERS} table tiered to the lake every {@code freshness}; returns its id. */
    private static long createLakeOrders(TablePath path, int buckets, String freshness) throws Exception {
        return admin.createTable(path, TableDescriptor.builder(ORDERS).buckets(buckets)
                .options(Map.of("table.datalake.enabled", "true", "table.datalake.freshness", freshness)).build(), false)
                .get();
    }

    private static void appendOrders(Table table, long from, int count) throws Exception {
        try (AppendWriter writer = table.newAppendWriter()) {
            for (long id = from; id < from + count; id++) {
                writer.append(GenericRow.of(id, BinaryString.fromString("c" + id), null, null, null, null, null, null,
                        null));
            }
            writer.flush();
        }
    }

    static Map<TableBucket, Long> hotEnds(TablePath path, long tableId, int buckets) {
        Map<Integer, Long> ends = admin.listOffsets(path, IntStream.range(0, buckets).boxed().toList(),
                OffsetSpec.latest()).join();
        Map<TableBucket, Long> result = new TreeMap<>();
        ends.forEach((bucket, end) -> {
            if (end > 0) {
                result.put(new TableBucket(tableId, bucket), end);
            }
        });
        return result;
    }

    /** Waits for the coordinator to report a lake snapshot holding every bucket up to {@code ends}. */
    static LakeSnapshot awaitTiered(TablePath path, Map<TableBucket, Long> ends) {
        LakeSnapshot[] seen = new LakeSnapshot[1];
        TestCluster.waitUntil(() -> {
            Optional<LakeSnapshot> snapshot = admin.getLakeSnapshot(path).join();
            seen[0] = snapshot.orElse(null);
            return snapshot.isPresent() && snapshot.get().endOffsets().equals(ends);
        }, Duration.ofSeconds(60), "table " + path + " tiered to " + ends);
        return seen[0];
    }

    static List<Record> readAll(org.apache.iceberg.Table table) throws IOException {
        table.refresh();
        List<Record> records = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            rows.forEach(records::add);
        }
        return records;
    }
}
