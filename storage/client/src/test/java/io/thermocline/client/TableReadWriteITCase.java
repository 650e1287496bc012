package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.StagedBatches;
import io.thermocline.client.api.StagedWriter;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The public client's writer and scanner on a real 3-server cluster. */
class TableReadWriteITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(3).build();

    private static final Schema CLICKS = Schema.builder()
            .column("id", DataTypes.BIGINT().notNull())
            .column("url", DataTypes.STRING())
            .column("duration_ms", DataTypes.INT())
            .build();

    static Connection connection;

    @BeforeAll
    static void connect() throws Exception {
        connection = ConnectionFactory.create(CLUSTER.clientConf());
        connection.admin().createDatabase("web", null, true).get();
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @Test
    void aMillionRowsOverEightBucketsComeBackCompleteAndInOrder() throws Exception {
        Table table = createTable("clicks", 8);
        int total = 1_000_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (AppendWriter writer = table.newAppendWriter()) {
            for (int i = 0; i < total; i++) {
                writer.append(GenericRow.of((long) i, "/page/" + (i % 1000), i % 5000))
                        .whenComplete((r, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            writer.flush();
        }
        assertThat(failure.get()).isNull();

        BitSet seen = new BitSet(total);
        Map<Integer, Long> lastIdPerBucket = new HashMap<>();
        Map<Integer, Long> nextOffsetPerBucket = new HashMap<>();
        try (LogScanner scanner = table.newLogScanner()) {
            for (int b = 0; b < 8; b++) {
                scanner.subscribe(b, LogScanner.EARLIEST);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int count = 0;
            while (count < total && System.nanoTime() < deadline) {
                for (ScanRecord record : scanner.poll(Duration.ofSeconds(1))) {
                    long id = record.row().getLong(0);
                    assertThat(seen.get((int) id)).as("row %d read twice", id).isFalse();
                    seen.set((int) id);
                    // appended in id order, so each bucket holds increasing ids at dense offsets
                    assertThat(id).isGreaterThan(lastIdPerBucket.getOrDefault(record.bucket(), -1L));
                    assertThat(record.offset()).isEqualTo(nextOffsetPerBucket.getOrDefault(record.bucket(), 0L));
                    lastIdPerBucket.put(record.bucket(), id);
                    nextOffsetPerBucket.put(record.bucket(), record.offset() + 1);
                    count++;
                }
            }
            assertThat(count).isEqualTo(total);
        }
        assertThat(seen.cardinality()).isEqualTo(total);
        assertThat(lastIdPerBucket).hasSize(8); // every bucket got rows
    }

    @Test
    void aScannerReadsOnlyTheProjectedColumns() throws Exception {
        Table table = createTable("projected", 2);
        try (AppendWriter writer = table.newAppendWriter()) {
            for (int i = 0; i < 100; i++) {
                writer.append(GenericRow.of((long) i, "/p" + i, i * 10));
            }
            writer.flush();
        }
        List<ScanRecord> records = readAll(table.newLogScanner(new int[] {2, 0}), 2, 100);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.row().fieldCount()).isEqualTo(2);
            assertThat(r.row().getInt(0)).isEqualTo((int) r.row().getLong(1) * 10);
        });
    }

    @Test
    void aProjectedFetchCarriesAsManyBytesAsAWholeOneSoManyMoreRows() throws Exception {
        Table table = createTable("wide", 1);
        int total = 20_000;
        Random random = new Random(7);
        try (AppendWriter writer = table.newAppendWriter()) {
            for (int i = 0; i < total; i++) {
                // Random characters, so that compression leaves about 1 KB of each row on disk.
                char[] url = new char[1_000];
                for (int c = 0; c < url.length; c++) {
                    url[c] = (char) ('!' + random.nextInt(94));
                }
                writer.append(GenericRow.of((long) i, new String(url), i));
            }
            writer.flush();
        }
        // About 20 MB of whole rows; their ids and durations are a few hundred KB, which one fetch of
        // the scanner's 8 MB holds. Projected from 8 MB of whole rows, a fetch held 8,000 of them.
        try (LogScanner scanner = table.newLogScanner(new int[] {0, 2})) {
            scanner.subscribe(0, LogScanner.EARLIEST);
            List<ScanRecord> first = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (first.isEmpty() && System.nanoTime() < deadline) {
                first = scanner.poll(Duration.ofSeconds(1));
            }
            assertThat(first).hasSize(total);
            for (int i = 0; i < total; i++) {
                assertThat(first.get(i).offset()).isEqualTo(i);
                assertThat(first.get(i).row().getLong(0)).isEqualTo(i);
                assertThat(first.get(i).row().getInt(1)).isEqualTo(i);
            }
        }
    }

    @Test
    void aWaitingScannerGetsANewRowWithoutPollingDelay() throws Exception {
        Table table = createTable("live", 1);
        try (LogScanner scanner = table.newLogScanner(); AppendWriter writer = table.newAppendWriter()) {
            scanner.subscribe(0, LogScanner.LATEST);
            assertThat(scanner.poll(Duration.ofMillis(300))).isEmpty(); // its fetch now waits on the server
            CompletableFuture<List<ScanRecord>> polled =
                    CompletableFuture.supplyAsync(() -> scanner.poll(Duration.ofSeconds(10)));
            writer.append(GenericRow.of(7L, "/now", 1)).get(10, TimeUnit.SECONDS);
            long acknowledged = System.nanoTime();
            List<ScanRecord> records = polled.get(10, TimeUnit.SECONDS);
            long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acknowledged);
            assertThat(records).extracting(r -> r.row().getLong(0)).containsExactly(7L);
            // the server pushes on append; a polling client would wait out its 500 ms park
            assertThat(latencyMs).isLessThan(400);
        }
    }

    @Test
    void badWritesAndReadsGetTypedErrors() throws Exception {
        Table table = createTable("strict", 1);
        try (AppendWriter writer = table.newAppendWriter()) {
            assertThatThrownBy(() -> writer.append(GenericRow.of(null, "/x", 1)))
                    .isInstanceOf(SchemaException.class).hasMessageContaining("`id`").hasMessageContaining("NOT NULL");
            assertThatThrownBy(() -> writer.append(GenericRow.of(1L, "/x")))
                    .isInstanceOf(SchemaException.class).hasMessageContaining("2 fields but the schema has 3");
            assertThat(writer.append(GenericRow.of(1L, "/ok", 2)).get(10, TimeUnit.SECONDS).offset()).isZero();
        }
        assertThatThrownBy(() -> connection.table(TablePath.of("web", "missing")))
                .isInstanceOf(TableNotExistException.class).hasMessageContaining("web.missing");
        connection.admin().createTable(TablePath.of("web", "keyed"), TableDescriptor.builder(Schema.builder()
                .column("k", DataTypes.INT()).primaryKey("k").build()).build(), false).get();
        assertThatThrownBy(() -> connection.table(TablePath.of("web", "keyed")).newAppendWriter())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("primary key");
        try (LogScanner scanner = table.newLogScanner()) {
            assertThatThrownBy(() -> scanner.subscribe(3, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("buckets 0 to 0, not 3");
        }
    }

    @Test
    void appendsRetryAcrossALeaderRestartAndNothingAcknowledgedIsLost() throws Exception {
        Table table = createTable("resilient", 1);
        int leader = table.info().buckets().get(0).leader();
        List<CompletableFuture<AppendWriter.AppendResult>> acks = new ArrayList<>();
        try (AppendWriter writer = table.newAppendWriter()) {
            for (int i = 0; i < 2000; i++) {
                acks.add(writer.append(GenericRow.of((long) i, "/r", i)));
                if (i == 1000) {
                    writer.flush();
                    CLUSTER.restartTabletServer(leader);
                }
            }
            writer.flush();
        }
        long acknowledged = acks.stream().filter(f -> !f.isCompletedExceptionally()).count();
        assertThat(acknowledged).isEqualTo(2000);
        List<ScanRecord> records = readAll(table.newLogScanner(), 1, 2000);
        assertThat(records).extracting(r -> r.row().getLong(0)).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 2000).boxed().toList());
    }

    @Test
    void aClusterWithoutALakeNamesNoLakeCatalog() throws Exception {
        assertThat(connection.admin().getLakeCatalogOptions(TablePath.of("db", "any")).get()).isEmpty();
    }

    @Test
    void stagedBatchesAppearOnlyWhenCommittedAndOnceWhenCommittedAgain() throws Exception {
        Table table = createTable("staged", 2);
        try (Connection smallBatches = ConnectionFactory.create(CLUSTER.clientConf()
                .setString("client.writer.batch-size", "16 kb"));
                StagedWriter writer = smallBatches.table(table.info().path()).newStagedWriter()) {
            for (int i = 0; i < 20_000; i++) { // many batches per bucket: more than the servers keep per writer
                writer.write(GenericRow.of((long) i, "/staged", i));
            }
            StagedBatches staged = StagedBatches.fromBytes(writer.stage().toBytes()); // as a checkpoint keeps it
            assertThat(staged.batches().size()).isGreaterThan(2 * 5);
            assertThat(connection.admin().listOffsets(table.info().path(), List.of(0, 1), OffsetSpec.latest()).get()
                    .values()).containsOnly(0L);
            writer.commit(staged).get();
            writer.commit(staged).get(); // a restored job commits its pending batches again
            assertThat(writer.stage().isEmpty()).isTrue();
        }
        List<ScanRecord> records = readAll(table.newLogScanner(), 2, 20_000);
        assertThat(records).extracting(r -> r.row().getLong(0)).doesNotHaveDuplicates();
        assertThat(connection.admin().listOffsets(table.info().path(), List.of(0, 1), OffsetSpec.latest()).get()
                .values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000);
    }

    private static Table createTable(String name, int buckets) throws Exception {
        TablePath path = TablePath.of("web", name);
        connection.admin().createTable(path, TableDescriptor.builder(CLICKS).buckets(buckets).build(), false)
                .get(30, TimeUnit.SECONDS);
        return connection.table(path);
    }

    private static List<ScanRecord> readAll(LogScanner scanner, int buckets, int expected) {
        try (scanner) {
            for (int b = 0; b < buckets; b++) {
                scanner.subscribe(b, LogScanner.EARLIEST);
            }
            List<ScanRecord> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < expected && System.nanoTime() < deadline) {
                records.addAll(scanner.poll(Duration.ofSeconds(1)));
            }
            assertThat(records).hasSize(expected);
            return records;
        }
    }
}
