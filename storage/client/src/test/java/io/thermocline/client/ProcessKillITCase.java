package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.server.utils.FileTrees;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tablet servers as OS processes; the leader of the written buckets is killed with SIGKILL five
 * times, chased to wherever leadership moves, while an idempotent acks=all writer appends over a
 * million rows. Every acknowledged row must then be read exactly once, in order per bucket.
 * Writes a report to {@code target/process-kill-report.md}.
 */
class ProcessKillITCase {
    private static final int KILLS = 5;
    private static final int MIN_ROWS = 1_000_000;
    private static final int BUCKETS = 2;

    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(3).processes(true)
            .serverOption("zookeeper.session-timeout", "3 s")
            .serverOption("replica.lag-time-max", "3 s")
            .build();

    private static final Schema ROWS = Schema.builder().column("id", DataTypes.BIGINT().notNull())
            .column("payload", DataTypes.STRING()).build();

    @Test
    void killingLeadersLosesAndDuplicatesNothingAcknowledged() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            admin.createDatabase("chaos", null, true).get();
            TablePath path = TablePath.of("chaos", "events");
            admin.createTable(path, TableDescriptor.builder(ROWS).buckets(BUCKETS).replicationFactor(3)
                    .options(Map.of("table.min-insync-replicas", "2")).build(), false).get();
            Table table = connection.table(path);

            BitSet acked = new BitSet();
            AtomicLong failed = new AtomicLong();
            AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            AtomicLong written = new AtomicLong();
            Semaphore inFlight = new Semaphore(200_000); // bounds the futures held, not the rate
            Thread writerThread;
            List<Long> failoverMillis = new ArrayList<>();
            try (AppendWriter writer = table.newAppendWriter()) {
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                writerThread = new Thread(() -> {
                    long id = 0;
                    while (!stop.get() || id < MIN_ROWS) {
                        inFlight.acquireUninterruptibly();
                        long rowId = id++;
                        writer.append(GenericRow.of(rowId, "payload-" + rowId)).whenComplete((r, e) -> {
                            if (e == null) {
                                synchronized (acked) {
                                    acked.set((int) rowId);
                                }
                            } else {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, e);
                            }
                            inFlight.release();
                        });
                        written.set(id);
                        if (id % 100 == 0) {
                            sleep(4); // about 25k rows/s at most: the kills happen while rows flow
                        }
                    }
                }, "chaos-writer");
                writerThread.start();

                for (int k = 0; k < KILLS; k++) {
                    int kill = k;
                    TestCluster.waitUntil(() -> written.get() > 30_000L * (kill + 1), Duration.ofMinutes(2),
                            "rows flow before kill " + kill);
                    waitForFullIsr(admin, path);
                    TableInfo.BucketLeader before = admin.getTable(path).get().buckets().get(0);
                    int victim = before.leader();
                    long killedAt = System.nanoTime();
                    CLUSTER.killTabletServer(victim);
                    TestCluster.waitUntil(() -> {
                        TableInfo.BucketLeader now = admin.getTable(path).join().buckets().get(0);
                        return now.leader() >= 0 && now.leader() != victim && now.leaderEpoch() > before.leaderEpoch();
                    }, Duration.ofMinutes(1), "bucket 0 gets a new leader after kill " + kill);
                    failoverMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
                    CLUSTER.startTabletServer(victim);
                }
                stop.set(true);
                writerThread.join(TimeUnit.MINUTES.toMillis(5));
                writer.flush();
            }
            long total = written.get();
            long ackedCount;
            synchronized (acked) {
                ackedCount = acked.cardinality();
            }
            assertThat(firstFailure.get()).as("no write may fail: they are retried until acknowledged").isNull();

            // Read everything back: each id once, ids increasing within each bucket.
            BitSet seen = new BitSet();
            long duplicated = 0;
            long outOfOrder = 0;
            Map<Integer, Long> lastIdPerBucket = new HashMap<>();
            try (LogScanner scanner = table.newLogScanner()) {
                for (int b = 0; b < BUCKETS; b++) {
                    scanner.subscribe(b, LogScanner.EARLIEST);
                }
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                long read = 0;
                while (read < total && System.nanoTime() < deadline) {
                    for (ScanRecord record : scanner.poll(Duration.ofSeconds(1))) {
                        read++;
                        long id = record.row().getLong(0);
                        if (seen.get((int) id)) {
                            duplicated++;
                        }
                        seen.set((int) id);
                        Long last = lastIdPerBucket.put(record.bucket(), id);
                        if (last != null && id <= last) {
                            outOfOrder++;
                        }
                    }
                }
                for (ScanRecord record : scanner.poll(Duration.ofSeconds(2))) {
                    duplicated += seen.get((int) record.row().getLong(0)) ? 1 : 0;
                }
            }
            BitSet lost = (BitSet) acked.clone();
            lost.andNot(seen);

            List<Long> sorted = new ArrayList<>(failoverMillis);
            Collections.sort(sorted);
            String report = "# Process-kill test\n\n"
                    + "Three tablet server processes, replication 3, min in-sync replicas 2, acks=all, idempotent"
                    + " writer, ZooKeeper session timeout 3 s. The leader of bucket 0 was killed with SIGKILL "
                    + KILLS + " times while rows were written, then restarted.\n\n"
                    + "| measure | value |\n|---|---|\n"
                    + "| rows written | " + total + " |\n"
                    + "| rows acknowledged | " + ackedCount + " |\n"
                    + "| acknowledged rows lost | " + lost.cardinality() + " |\n"
                    + "| rows read twice | " + duplicated + " |\n"
                    + "| rows out of order in their bucket | " + outOfOrder + " |\n"
                    + "| time to new leader p50 | " + sorted.get(sorted.size() / 2) + " ms |\n"
                    + "| time to new leader max | " + sorted.get(sorted.size() - 1) + " ms |\n";
            Path target = Paths.get("target");
            Files.createDirectories(target);
            Files.writeString(target.resolve("process-kill-report.md"), report);
            System.out.println(report);

            assertThat(total).isGreaterThanOrEqualTo(MIN_ROWS);
            assertThat(ackedCount).isEqualTo(total);
            assertThat(lost.cardinality()).as("acknowledged rows lost").isZero();
            assertThat(duplicated).as("rows read twice").isZero();
            assertThat(outOfOrder).as("rows out of order").isZero();
            assertThat(failoverMillis).hasSize(KILLS);
        }
    }

    @Test
    void writersRetryingPastAFrozenFollowerAppendEachBatchOnce() throws Exception {
        // Short timeouts for the writer: acks=all waits on a frozen follower, answers time out, the
        // writer retries the same batches.
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf());
                Connection impatient = ConnectionFactory.create(CLUSTER.clientConf()
                        .setString("rpc.request-timeout", "600 ms"))) {
            Admin admin = connection.admin();
            admin.createDatabase("chaos", null, true).get();
            TablePath path = TablePath.of("chaos", "retried");
            admin.createTable(path, TableDescriptor.builder(ROWS).buckets(1).replicationFactor(3)
                    .options(Map.of("table.min-insync-replicas", "3")).build(), false).get();
            Table table = impatient.table(path);
            waitForFullIsr(admin, path);
            int leader = admin.getTable(path).get().buckets().get(0).leader();
            int follower = (leader + 1) % 3;
            int rows = 20_000;
            List<java.util.concurrent.CompletableFuture<AppendWriter.AppendResult>> acks = new ArrayList<>();
            try (AppendWriter writer = table.newAppendWriter()) {
                for (long id = 0; id < rows / 2; id++) {
                    acks.add(writer.append(GenericRow.of(id, "payload-" + id)));
                }
                CLUSTER.pauseTabletServer(follower);
                try {
                    for (long id = rows / 2; id < rows; id++) {
                        acks.add(writer.append(GenericRow.of(id, "payload-" + id)));
                    }
                    Thread.sleep(3_000); // several request timeouts: every batch in flight is sent again
                } finally {
                    CLUSTER.resumeTabletServer(follower);
                }
                writer.flush();
            }
            for (var ack : acks) {
                ack.get();
            }
            BitSet seen = new BitSet();
            long duplicated = 0;
            long read = 0;
            try (LogScanner scanner = table.newLogScanner()) {
                scanner.subscribe(0, LogScanner.EARLIEST);
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (read < rows && System.nanoTime() < deadline) {
                    for (ScanRecord record : scanner.poll(Duration.ofSeconds(1))) {
                        read++;
                        int id = (int) record.row().getLong(0);
                        duplicated += seen.get(id) ? 1 : 0;
                        seen.set(id);
                    }
                }
                for (ScanRecord record : scanner.poll(Duration.ofSeconds(2))) {
                    duplicated += seen.get((int) record.row().getLong(0)) ? 1 : 0;
                }
            }
            assertThat(seen.cardinality()).isEqualTo(rows);
            assertThat(duplicated).as("rows appended twice").isZero();
        }
    }

    @Test
    void aKilledPrimaryKeyLeaderLosesNoAcknowledgedValueEvenWithoutItsKvDirectory() throws Exception {
        Schema accounts = Schema.builder().column("id", DataTypes.INT().notNull()).column("balance", DataTypes.BIGINT())
                .primaryKey("id").build();
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            admin.createDatabase("chaos", null, true).get();
            TablePath path = TablePath.of("chaos", "accounts");
            admin.createTable(path, TableDescriptor.builder(accounts).buckets(1).replicationFactor(3).build(), false)
                    .get();
            Table table = connection.table(path);
            waitForFullIsr(admin, path);
            Map<Integer, Long> acked = new java.util.concurrent.ConcurrentHashMap<>();
            int victim = admin.getTable(path).get().buckets().get(0).leader();
            try (io.thermocline.client.api.UpsertWriter writer = table.newUpsertWriter()) {
                for (int round = 0; round < 20_000; round++) {
                    int id = round % 500;
                    long balance = round;
                    writer.upsert(GenericRow.of(id, balance)).thenRun(() -> acked.merge(id, balance, Math::max));
                    if (round == 10_000) {
                        CLUSTER.killTabletServer(victim); // mid-stream
                        FileTrees.delete(CLUSTER.tabletServerDataDir(victim).resolve("table-" + table.info().tableId())
                                .resolve("bucket-0").resolve("kv"));
                    }
                }
                writer.flush();
            }
            CLUSTER.startTabletServer(victim);
            assertThat(acked).hasSize(500);
            var lookuper = connection.table(path).newLookuper();
            for (Map.Entry<Integer, Long> entry : acked.entrySet()) {
                // Writes of one key are acknowledged in order, so the latest acknowledged is the last written.
                assertThat(lookuper.lookup(GenericRow.of(entry.getKey())).get().map(r -> r.getLong(1)))
                        .as("key %d", entry.getKey()).contains(entry.getValue());
            }
        }
    }

    private static void waitForFullIsr(Admin admin, TablePath path) {
        TestCluster.waitUntil(() -> {
            for (TableInfo.BucketLeader bucket : admin.getTable(path).join().buckets()) {
                if (bucket.isr().size() < 3) {
                    return false;
                }
            }
            return true;
        }, Duration.ofMinutes(2), "every bucket has all three replicas in sync");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
