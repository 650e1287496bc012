package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.AppendWriter.AppendResult;
import io.thermocline.client.api.ClientOptions;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.PartitionInfo;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.PartitionAlreadyExistsException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.exception.TooManyPartitionsException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Partitioned tables: explicit and automatic partitions, writes routed by partition, drops that delete data. */
class PartitionedTableITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(3)
            .serverOption("coordinator.auto-partition.check-interval", "200 ms")
            .serverOption("coordinator.max-partitions-per-table", "12")
            .build();

    private static final Schema EVENTS = Schema.builder()
            .column("region", DataTypes.STRING())
            .column("day", DataTypes.DATE())
            .column("id", DataTypes.BIGINT().notNull())
            .column("payload", DataTypes.STRING())
            .build();

    static Connection connection;
    static Admin admin;

    @BeforeAll
    static void connect() throws Exception {
        connection = ConnectionFactory.create(CLUSTER.clientConf());
        admin = connection.admin();
        admin.createDatabase("lake", null, true).get();
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    private static TablePath createEvents(String name) throws Exception {
        TablePath path = TablePath.of("lake", name);
        admin.createTable(path, TableDescriptor.builder(EVENTS).buckets(2).partitionedBy("region", "day").build(), false)
                .get();
        return path;
    }

    private static GenericRow event(String region, LocalDate day, long id) {
        return GenericRow.of(region, (int) day.toEpochDay(), id, "payload-" + id);
    }

    @Test
    void explicitPartitionsAreCanonicalAndTyped() throws Exception {
        TablePath path = createEvents("explicit");
        long id = admin.createPartition(path, Map.of("region", "eu", "day", "2026-11-23"), false).get();
        List<PartitionInfo> partitions = admin.listPartitions(path).get();
        assertThat(partitions).extracting(PartitionInfo::name).containsExactly("region=eu/day=2026-11-23");
        assertThat(partitions.get(0).partitionId()).isEqualTo(id);
        assertThat(partitions.get(0).spec()).containsExactly(Map.entry("region", "eu"), Map.entry("day", "2026-11-23"));
        assertThat(admin.createPartition(path, Map.of("region", "eu", "day", "2026-11-23"), true).get()).isEqualTo(id);
        assertThat(admin.getTable(path).get().partitionKeys()).containsExactly("region", "day");
        // values that need escaping in the name stay distinct
        admin.createPartition(path, Map.of("region", "a/day=b", "day", "2026-11-23"), false).get();
        assertThat(admin.listPartitions(path).get()).extracting(PartitionInfo::name)
                .contains("region=a%2Fday%3Db/day=2026-11-23");

        assertThatThrownBy(() -> admin.createPartition(path, Map.of("region", "eu", "day", "2026-11-23"), false).get())
                .cause().isInstanceOf(PartitionAlreadyExistsException.class)
                .hasMessageContaining("lake.explicit").hasMessageContaining("region=eu/day=2026-11-23");
        assertThatThrownBy(() -> admin.createPartition(path, Map.of("region", "eu", "day", "2026-13-01"), false).get())
                .cause().isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("lake.explicit").hasMessageContaining("`day`").hasMessageContaining("DATE");
        assertThatThrownBy(() -> admin.createPartition(path, Map.of("region", "eu"), false).get())
                .cause().isInstanceOf(InvalidRequestException.class).hasMessageContaining("`day` needs a value");
        assertThatThrownBy(() -> admin.createPartition(path, Map.of("region", "eu", "day", "2026-11-23", "x", "1"),
                false).get()).cause().isInstanceOf(InvalidRequestException.class).hasMessageContaining("[x]");
        assertThatThrownBy(() -> admin.dropPartition(path, Map.of("region", "us", "day", "2026-11-23"), false).get())
                .cause().isInstanceOf(PartitionNotExistException.class).hasMessageContaining("region=us/day=2026-11-23");
        admin.dropPartition(path, Map.of("region", "us", "day", "2026-11-23"), true).get();
    }

    @Test
    void writersRouteRowsToTheirPartitionsCreatingMissingOnes() throws Exception {
        TablePath path = createEvents("routed");
        LocalDate monday = LocalDate.of(2026, 11, 23);
        admin.createPartition(path, Map.of("region", "eu", "day", monday.toString()), false).get();
        Table table = connection.table(path);
        List<CompletableFuture<AppendResult>> acks = new ArrayList<>();
        try (AppendWriter writer = table.newAppendWriter()) {
            for (long i = 0; i < 3000; i++) {
                String region = i % 3 == 0 ? "eu" : i % 3 == 1 ? "us" : "apac";
                acks.add(writer.append(event(region, monday.plusDays(i % 2), i)));
            }
            writer.flush();
        }
        Map<Long, Long> rowsPerPartition = new HashMap<>();
        for (CompletableFuture<AppendResult> ack : acks) {
            rowsPerPartition.merge(ack.get().partitionId(), 1L, Long::sum);
        }
        List<PartitionInfo> partitions = admin.listPartitions(path).get();
        assertThat(partitions).hasSize(6);
        assertThat(rowsPerPartition).hasSize(6).allSatisfy((partition, rows) -> assertThat(rows).isEqualTo(500));

        // every partition holds exactly its own rows, in write order per bucket
        for (PartitionInfo partition : partitions) {
            List<ScanRecord> rows = readAll(table, partition.partitionId(), 500);
            assertThat(rows).hasSize(500).allSatisfy(r -> {
                assertThat(r.partitionId()).isEqualTo(partition.partitionId());
                assertThat(r.row().getString(0).toString()).isEqualTo(partition.spec().get("region"));
                assertThat(LocalDate.ofEpochDay(r.row().getInt(1)).toString()).isEqualTo(partition.spec().get("day"));
            });
        }
    }

    @Test
    void rowsWithoutAPartitionFailWithTypedErrors() throws Exception {
        TablePath path = createEvents("strict");
        var conf = CLUSTER.clientConf().set(ClientOptions.WRITER_DYNAMIC_PARTITION_CREATION, false);
        try (Connection strict = ConnectionFactory.create(conf);
                AppendWriter writer = strict.table(path).newAppendWriter()) {
            assertThatThrownBy(() -> writer.append(event("eu", LocalDate.of(2026, 1, 1), 1)).get())
                    .cause().isInstanceOf(PartitionNotExistException.class)
                    .hasMessageContaining("lake.strict").hasMessageContaining("region=eu/day=2026-01-01");
            assertThatThrownBy(() -> writer.append(GenericRow.of(null, 1, 2L, "x")).get())
                    .cause().isInstanceOf(InvalidRecordException.class).hasMessageContaining("`region` is null");
        }
        assertThat(admin.listPartitions(path).get()).isEmpty();
    }

    @Test
    void droppingAPartitionDeletesItsDataEvenOnServersThatWereDown() throws Exception {
        TablePath path = createEvents("dropped");
        Table table = connection.table(path);
        try (AppendWriter writer = table.newAppendWriter()) {
            writer.append(event("eu", LocalDate.of(2026, 11, 23), 1)).get();
            writer.append(event("eu", LocalDate.of(2026, 11, 23), 2)).get();
            writer.append(event("us", LocalDate.of(2026, 11, 23), 3)).get();
            writer.append(event("us", LocalDate.of(2026, 11, 23), 4)).get();
        }
        Map<String, Long> ids = admin.listPartitions(path).get().stream()
                .collect(Collectors.toMap(p -> p.spec().get("region"), PartitionInfo::partitionId));
        assertThat(partitionDirs(ids.get("eu"))).isNotEmpty();
        assertThat(partitionDirs(ids.get("us"))).isNotEmpty();

        admin.dropPartition(path, Map.of("region", "eu", "day", "2026-11-23"), false).get();
        TestCluster.waitUntil(() -> partitionDirs(ids.get("eu")).isEmpty(), Duration.ofSeconds(10),
                "the dropped partition's directories are deleted");
        try (LogScanner scanner = table.newLogScanner()) {
            assertThatThrownBy(() -> scanner.subscribe(ids.get("eu"), 0, LogScanner.EARLIEST))
                    .isInstanceOf(PartitionNotExistException.class).hasMessageContaining(ids.get("eu").toString());
        }

        // a server that is down misses the command, and deletes the data when it starts again
        List<Integer> holders = serversHolding(ids.get("us"));
        assertThat(holders).isNotEmpty();
        holders.forEach(CLUSTER::stopTabletServer);
        try {
            admin.dropPartition(path, Map.of("region", "us", "day", "2026-11-23"), false).get();
            assertThat(partitionDirs(ids.get("us"))).isNotEmpty();
        } finally {
            holders.forEach(CLUSTER::startTabletServer);
        }
        assertThat(partitionDirs(ids.get("us"))).isEmpty();
    }

    @Test
    void automaticPartitionsArePrecreatedAndExpire() throws Exception {
        TablePath path = TablePath.of("lake", "daily");
        Schema schema = Schema.builder().column("dt", DataTypes.STRING()).column("v", DataTypes.INT()).build();
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyyMMdd");
        LocalDate before = LocalDate.now(ZoneOffset.UTC);
        admin.createTable(path, TableDescriptor.builder(schema).buckets(1).partitionedBy("dt").options(Map.of(
                "table.auto-partition.enabled", "true",
                "table.auto-partition.time-unit", "day",
                "table.auto-partition.num-precreate", "3",
                "table.auto-partition.num-retention", "2")).build(), false).get();
        LocalDate after = LocalDate.now(ZoneOffset.UTC);
        // created with the table, not at the next check
        List<String> names = admin.listPartitions(path).get().stream().map(PartitionInfo::name).collect(Collectors.toList());
        assertThat(names).hasSize(3);
        LocalDate today = names.contains("dt=" + format.format(before.plusDays(2))) ? before : after;
        assertThat(names).containsExactly("dt=" + format.format(today), "dt=" + format.format(today.plusDays(1)),
                "dt=" + format.format(today.plusDays(2)));

        // partitions older than the retention go at the next check; others, and those not named by a period, stay
        admin.createPartition(path, Map.of("dt", format.format(today.minusDays(2))), false).get();
        admin.createPartition(path, Map.of("dt", format.format(today.minusDays(10))), false).get();
        admin.createPartition(path, Map.of("dt", "backfill"), false).get();
        TestCluster.waitUntil(() -> admin.listPartitions(path).join().stream()
                .noneMatch(p -> p.name().equals("dt=" + format.format(today.minusDays(10)))), Duration.ofSeconds(10),
                "the expired partition is dropped");
        assertThat(admin.listPartitions(path).get()).extracting(PartitionInfo::name)
                .contains("dt=" + format.format(today.minusDays(2)), "dt=backfill");
    }

    @Test
    void badPartitionLayoutsAreRefusedNamingTheProblem() {
        Schema keyed = Schema.builder().column("id", DataTypes.BIGINT().notNull()).column("dt", DataTypes.STRING())
                .column("tags", DataTypes.ARRAY(DataTypes.STRING())).column("n", DataTypes.INT().notNull())
                .primaryKey("id").build();
        Schema log = Schema.builder().column("dt", DataTypes.STRING()).column("n", DataTypes.INT())
                .column("tags", DataTypes.ARRAY(DataTypes.STRING())).build();
        assertThatThrownBy(() -> create("p1", TableDescriptor.builder(log).partitionedBy("nope").build()))
                .isInstanceOf(SchemaException.class).hasMessageContaining("lake.p1").hasMessageContaining("`nope`");
        assertThatThrownBy(() -> create("p2", TableDescriptor.builder(log).partitionedBy("tags").build()))
                .isInstanceOf(SchemaException.class).hasMessageContaining("`tags`").hasMessageContaining("primitive");
        assertThatThrownBy(() -> create("p3", TableDescriptor.builder(keyed).partitionedBy("dt").build()))
                .isInstanceOf(SchemaException.class).hasMessageContaining("primary key");
        assertThatThrownBy(() -> create("p4", TableDescriptor.builder(log).partitionedBy("n")
                .options(Map.of("table.auto-partition.enabled", "true")).build()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("`n`").hasMessageContaining("STRING");
        assertThatThrownBy(() -> create("p5", TableDescriptor.builder(log)
                .options(Map.of("table.auto-partition.enabled", "true")).build()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("needs partition keys");
        assertThatThrownBy(() -> create("p6", TableDescriptor.builder(log).options(Map.of("table.no-such", "1")).build()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("'table.no-such'");
        assertThatThrownBy(() -> create("p7", TableDescriptor.builder(log).partitionedBy("dt")
                .options(Map.of("table.auto-partition.enabled", "true", "table.auto-partition.time-unit", "week"))
                .build())).isInstanceOf(InvalidConfigException.class).hasMessageContaining("'week'");
    }

    @Test
    void aTableCannotGrowPastThePartitionLimit() throws Exception {
        TablePath path = TablePath.of("lake", "many");
        Schema schema = Schema.builder().column("k", DataTypes.INT()).column("v", DataTypes.INT()).build();
        admin.createTable(path, TableDescriptor.builder(schema).buckets(1).partitionedBy("k").build(), false).get();
        Map<Integer, Long> ids = new HashMap<>();
        for (int k = 0; k < 12; k++) {
            ids.put(k, admin.createPartition(path, Map.of("k", String.valueOf(k)), false).get());
        }
        assertThatThrownBy(() -> admin.createPartition(path, Map.of("k", "12"), false).get())
                .cause().isInstanceOf(TooManyPartitionsException.class).hasMessageContaining("lake.many")
                .hasMessageContaining("12");
        // '007' names the partition that '7' does
        assertThatThrownBy(() -> admin.createPartition(path, Map.of("k", "007"), false).get())
                .cause().isInstanceOf(PartitionAlreadyExistsException.class).hasMessageContaining("k=7");
        assertThat(admin.createPartition(path, Map.of("k", "007"), true).get()).isEqualTo(ids.get(7));
    }

    private static void create(String name, TableDescriptor descriptor) throws Throwable {
        try {
            admin.createTable(TablePath.of("lake", name), descriptor, false).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    private static List<ScanRecord> readAll(Table table, long partitionId, int expected) {
        List<ScanRecord> rows = new ArrayList<>();
        try (LogScanner scanner = table.newLogScanner()) {
            for (int b = 0; b < table.info().bucketCount(); b++) {
                scanner.subscribe(partitionId, b, LogScanner.EARLIEST);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (rows.size() < expected && System.nanoTime() < deadline) {
                rows.addAll(scanner.poll(Duration.ofMillis(500)));
            }
        }
        return rows;
    }

    private static List<Path> partitionDirs(long partitionId) {
        try (Stream<Path> files = Files.walk(CLUSTER.dataDir())) {
            return files.filter(p -> p.getFileName().toString().equals("partition-" + partitionId))
                    .collect(Collectors.toList());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return partitionDirs(partitionId); // a directory vanished while walking: look again
        }
    }

    private static List<Integer> serversHolding(long partitionId) {
        List<Integer> servers = new ArrayList<>();
        for (int id = 0; id < 3; id++) {
            try (Stream<Path> files = Files.walk(CLUSTER.tabletServerDataDir(id))) {
                if (files.anyMatch(p -> p.getFileName().toString().equals("partition-" + partitionId))) {
                    servers.add(id);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return servers;
    }
}
