package io.thermocline.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.testservers.S3Server;
import io.thermocline.tiering.testutils.TieringRounds;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The lake on object storage behind a catalog, every server real and on 127.0.0.1: an S3 API
 * server (s3proxy) whose bucket holds the warehouse, and the catalog a subclass starts. The
 * cluster, the tiering job and Flink's readers know only the catalog's options and the S3
 * endpoint: every file of the lake lands in the bucket.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
abstract class LakeOnObjectStorageITCase {
    static final String BUCKET = "lake";
    static final String WAREHOUSE = "s3://" + BUCKET + "/warehouse";

    @TempDir
    static Path dir;
    static S3Server s3;
    static TestCluster cluster;

    @BeforeAll
    static void startObjectStore() {
        S3Server.sdkEnvironment().forEach((name, value) -> System.setProperty(S3Server.systemProperty(name), value));
        s3 = S3Server.start(dir.resolve("s3"));
        s3.createBucket(BUCKET);
    }

    /** Starts the cluster on a lake in {@code catalog} (its {@code lake.catalog.*} options, without the prefix). */
    static void startCluster(Map<String, String> catalog) {
        Map<String, String> options = new TreeMap<>(s3.icebergProperties());
        options.putAll(catalog);
        cluster = TestCluster.builder().tabletServers(1).lake(options)
                .serverOption("log.segment.size", "1 kb")
                .serverOption("log.retention.check-interval", "100 ms")
                .build();
        cluster.start();
    }

    /** Stops the cluster, before its catalog (a subclass's) and the object store go. */
    static void stopCluster() {
        if (cluster != null) {
            cluster.stop();
            cluster = null;
        }
    }

    @AfterAll
    static void stopObjectStore() {
        stopCluster();
        if (s3 != null) {
            s3.stop();
        }
    }

    @Test
    void logAndPrimaryKeyTablesTierIntoTheBucketAndReadBackExactly() throws Exception {
        TableEnvironment sql = sql();
        sql.executeSql("CREATE TABLE shop.events (id BIGINT NOT NULL, v STRING) WITH ('bucket.num' = '2',"
                + " 'bucket.key' = 'id', 'table.datalake.enabled' = 'true', 'table.datalake.freshness' = '1 s',"
                + " 'table.log.ttl' = '1 ms', 'table.datalake.auto-maintenance' = 'true',"
                + " 'table.datalake.snapshot-retention' = '0 s')");
        sql.executeSql("CREATE TABLE shop.stock (sku INT NOT NULL, qty BIGINT, PRIMARY KEY (sku) NOT ENFORCED)"
                + " WITH ('bucket.num' = '2', 'table.datalake.enabled' = 'true', 'table.datalake.freshness' = '1 s',"
                + " 'table.datalake.auto-maintenance' = 'true', 'table.datalake.snapshot-retention' = '0 s')");
        TablePath events = TablePath.of("shop", "events");
        TablePath stock = TablePath.of("shop", "stock");
        Map<Integer, Long> expectedStock = new TreeMap<>();
        JobClient tiering = TieringRounds.start(cluster, cluster.clientConf().toMap());
        try (Connection connection = ConnectionFactory.create(cluster.clientConf())) {
            Admin admin = connection.admin();
            // Three tiering rounds of each table: several snapshots for maintenance to compact and expire.
            for (int round = 0; round < 3; round++) {
                try (AppendWriter writer = connection.table(events).newAppendWriter()) {
                    for (long id = round * 100L; id < round * 100L + 100; id++) {
                        writer.append(GenericRow.of(id, BinaryString.fromString("v" + id)));
                    }
                    writer.flush();
                }
                try (UpsertWriter writer = connection.table(stock).newUpsertWriter()) {
                    for (int sku = 0; sku < 50; sku++) {
                        writer.upsert(GenericRow.of(sku, (long) (round * 1000 + sku)));
                        expectedStock.put(sku, (long) (round * 1000 + sku));
                    }
                    for (int sku = round; sku < 50; sku += 7) {
                        writer.delete(GenericRow.of(sku, null));
                        expectedStock.remove(sku);
                    }
                    writer.flush();
                }
                TieringRounds.waitTiered(events, ends(admin, events), cluster.clientConf().toMap());
                TieringRounds.waitTiered(stock, ends(admin, stock), cluster.clientConf().toMap());
            }
            TestCluster.waitUntil(() -> admin.listOffsets(events, List.of(0, 1), OffsetSpec.earliest()).join().values()
                    .stream().allMatch(earliest -> earliest > 0), Duration.ofSeconds(30),
                    "retention deletes tiered rows from the hot tier");
            // Maintenance after the last rounds compacts, expires the older snapshots and deletes their files.
            try (LakeCatalog lake = new LakeCatalog(cluster.lakeOptions())) {
                for (TablePath path : List.of(events, stock)) {
                    TestCluster.waitUntil(() -> expired(lake, path), Duration.ofSeconds(90),
                            path + ": older snapshots expired and their files deleted from the bucket");
                }
            }
            tiering.cancel().get();
            tiering = null;
            // Rows only the hot tier holds: the union read spans both tiers.
            try (AppendWriter writer = connection.table(events).newAppendWriter()) {
                for (long id = 300; id < 350; id++) {
                    writer.append(GenericRow.of(id, BinaryString.fromString("v" + id)));
                }
                writer.flush();
            }
        } finally {
            if (tiering != null) {
                tiering.cancel().get();
            }
        }

        // Union reads: the lake's rows from the bucket, the newest from the hot tier, each once.
        List<Long> ids = new ArrayList<>();
        try (CloseableIterator<Row> rows = sql.executeSql("SELECT id, v FROM shop.events").collect()) {
            rows.forEachRemaining(row -> {
                assertThat(row.getField(1)).isEqualTo("v" + row.getField(0));
                ids.add((Long) row.getField(0));
            });
        }
        assertThat(ids).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                LongStream.range(0, 350).boxed().collect(Collectors.toList()));
        assertThat(rows(sql, "SELECT sku, qty FROM shop.stock")).isEqualTo(expectedStock);

        // t$lake reads the bucket alone through Iceberg's source; t$lake$snapshots shows expiry at work.
        assertThat(single(sql, "SELECT COUNT(*), MIN(id), MAX(id) FROM `shop`.`events$lake`"))
                .isEqualTo(Row.of(300L, 0L, 299L));
        assertThat(rows(sql, "SELECT sku, qty FROM `shop`.`stock$lake`")).isEqualTo(expectedStock);
        assertThat((Long) single(sql, "SELECT COUNT(*) FROM `shop`.`events$lake$snapshots`").getField(0))
                .isBetween(1L, 2L);

        // Every file of the lake is an object of the bucket.
        try (LakeCatalog lake = new LakeCatalog(cluster.lakeOptions())) {
            for (TablePath path : List.of(events, stock)) {
                Table table = lake.catalog().loadTable(LakeCatalog.identifier(path));
                assertThat(table.location()).startsWith("s3://" + BUCKET + "/warehouse/");
                assertThat(objectNames(table, "data", ".parquet")).as("data and delete files of %s", path).isNotEmpty()
                        .isEqualTo(referencedFiles(table));
                assertThat(objectNames(table, "metadata", ".metadata.json")).contains(fileName(
                        ((HasTableOperations) table).operations().current().metadataFileLocation()));
            }
            // The primary-key table's deletes were written as delete files (kept, or folded in by compaction).
            Snapshot current = lake.catalog().loadTable(LakeCatalog.identifier(stock)).currentSnapshot();
            assertThat(Long.parseLong(current.summary().getOrDefault("total-delete-files", "0"))
                    + Long.parseLong(current.summary().getOrDefault("removed-delete-files", "0")))
                    .as("delete files of %s", current.summary()).isPositive();
        }
        assertThat(localLakeFiles(cluster.dataDir())).as("lake files on the servers' disks").isEmpty();
    }

    /** Whether the table keeps at most two snapshots and the bucket holds no data file they do not use. */
    private static boolean expired(LakeCatalog lake, TablePath path) {
        Table table = lake.catalog().loadTable(LakeCatalog.identifier(path));
        try {
            int snapshots = 0;
            for (Snapshot ignored : table.snapshots()) {
                snapshots++;
            }
            return snapshots <= 2 && objectNames(table, "data", ".parquet").equals(referencedFiles(table));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of a table's objects in the bucket under its {@code folder}. */
    private static Set<String> objectNames(Table table, String folder, String suffix) throws IOException {
        Path objects = s3.storageDir().resolve(BUCKET)
                .resolve(table.location().substring(("s3://" + BUCKET + "/").length())).resolve(folder);
        if (!Files.isDirectory(objects)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(objects)) {
            return files.filter(Files::isRegularFile).map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(suffix)).collect(Collectors.toSet());
        }
    }

    /**
     * The data and delete files of every snapshot the table keeps, by file name, with those its
     * snapshots removed (Iceberg deletes a file once no kept snapshot names it, even as removed).
     */
    private static Set<String> referencedFiles(Table table) throws IOException {
        Set<String> names = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                try (CloseableIterable<? extends ContentFile<?>> files = manifest.content() == ManifestContent.DATA
                        ? ManifestFiles.read(manifest, table.io(), table.specs())
                        : ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                    files.forEach(file -> names.add(fileName(file.location())));
                }
            }
            snapshot.removedDataFiles(table.io()).forEach(file -> names.add(fileName(file.location())));
            snapshot.removedDeleteFiles(table.io()).forEach(file -> names.add(fileName(file.location())));
        }
        return names;
    }

    private static List<Path> localLakeFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                String name = file.getFileName().toString();
                return name.endsWith(".parquet") || name.endsWith(".avro") || name.endsWith(".metadata.json");
            }).collect(Collectors.toList());
        }
    }

    private static String fileName(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    static Map<TableBucket, Long> ends(Admin admin, TablePath path) {
        long tableId = admin.getTable(path).join().tableId();
        Map<TableBucket, Long> ends = new TreeMap<>();
        admin.listOffsets(path, List.of(0, 1), OffsetSpec.latest()).join().forEach((bucket, end) -> {
            if (end > 0) {
                ends.put(new TableBucket(tableId, bucket), end);
            }
        });
        return ends;
    }

    static TableEnvironment sql() {
        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        // No lake options: the catalog learns the cluster's, the S3 endpoint and the REST catalog's address.
        sql.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                + cluster.bootstrapServers() + "')");
        sql.executeSql("USE CATALOG tc");
        sql.executeSql("CREATE DATABASE IF NOT EXISTS shop");
        return sql;
    }

    private static Map<Integer, Long> rows(TableEnvironment sql, String query) throws Exception {
        Map<Integer, Long> rows = new TreeMap<>();
        try (CloseableIterator<Row> it = sql.executeSql(query).collect()) {
            it.forEachRemaining(row -> assertThat(rows.put((Integer) row.getField(0), (Long) row.getField(1)))
                    .as("sku %s twice", row.getField(0)).isNull());
        }
        return rows;
    }

    static Row single(TableEnvironment sql, String query) throws Exception {
        try (CloseableIterator<Row> rows = sql.executeSql(query).collect()) {
            return rows.next();
        }
    }
}
