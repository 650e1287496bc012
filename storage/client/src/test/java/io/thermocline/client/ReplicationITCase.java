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
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.exception.NotEnoughReplicasException;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.log.BucketLog;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Replication on three in-process servers: failover without loss, min in-sync replicas, clean elections, truncation. */
class ReplicationITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(3)
            .serverOption("replica.lag-time-max", "1 s")
            .build();

    private static final Schema EVENTS = Schema.builder().column("id", DataTypes.BIGINT().notNull())
            .column("text", DataTypes.STRING()).build();

    static Connection connection;
    static Admin admin;

    @BeforeAll
    static void connect() throws Exception {
        connection = ConnectionFactory.create(CLUSTER.clientConf()
                .set(ClientOptions.WRITER_DELIVERY_TIMEOUT, Duration.ofSeconds(60)));
        admin = connection.admin();
        admin.createDatabase("rep", null, true).get();
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @AfterEach
    void allServersBack() {
        for (int id = 0; id < 3; id++) {
            if (CLUSTER.tabletServer(id) == null) {
                CLUSTER.startTabletServer(id);
            }
        }
    }

    private static Table create(String name, int buckets, Map<String, String> options) throws Exception {
        TablePath path = TablePath.of("rep", name);
        admin.createTable(path, TableDescriptor.builder(EVENTS).buckets(buckets).options(options).build(), false).get();
        return connection.table(path);
    }

    private static TableInfo.BucketLeader leaderOf(TablePath path, int bucket) {
        return admin.getTable(path).join().buckets().get(bucket);
    }

    @Test
    void leadersMoveWhenTheirServersStopAndNoAcknowledgedRowIsLost() throws Exception {
        Table table = create("failover", 3, Map.of());
        TablePath path = table.info().path();
        assertThat(table.info().buckets()).allSatisfy(b -> assertThat(b.replicas()).hasSize(3));
        List<CompletableFuture<AppendResult>> acks = new ArrayList<>();
        try (AppendWriter writer = table.newAppendWriter()) {
            long id = 0;
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 2000; i++, id++) {
                    acks.add(writer.append(GenericRow.of(id, "row " + id)));
                }
                writer.flush();
                int leader = leaderOf(path, 0).leader();
                int epoch = leaderOf(path, 0).leaderEpoch();
                // polite stops move leadership first; a halt does not, and the coordinator elects on session loss
                if (round % 2 == 0) {
                    CLUSTER.stopTabletServer(leader);
                } else {
                    CLUSTER.haltTabletServer(leader);
                }
                TestCluster.waitUntil(() -> leaderOf(path, 0).leaderEpoch() > epoch && leaderOf(path, 0).leader() >= 0,
                        Duration.ofSeconds(30), "bucket 0 gets a new leader");
                for (int i = 0; i < 2000; i++, id++) {
                    acks.add(writer.append(GenericRow.of(id, "row " + id)));
                }
                writer.flush();
                CLUSTER.startTabletServer(leader);
            }
        }
        Map<Long, Long> offsetOfId = new TreeMap<>();
        for (CompletableFuture<AppendResult> ack : acks) {
            assertThat(ack).isCompleted();
            ack.get();
        }
        List<ScanRecord> rows = readAll(table, acks.size());
        for (ScanRecord row : rows) {
            assertThat(offsetOfId.put(row.row().getLong(0), row.offset())).as("row read twice").isNull();
        }
        assertThat(offsetOfId).hasSize(acks.size());
    }

    @Test
    void withTwoOfThreeReplicasDownAcksAllWritesFailAndStayInvisible() throws Exception {
        Table table = create("degraded", 1, Map.of());
        TablePath path = table.info().path();
        try (AppendWriter writer = table.newAppendWriter()) {
            writer.append(GenericRow.of(1L, "before")).get();
        }
        int leader = leaderOf(path, 0).leader();
        List<Integer> followers = new ArrayList<>(leaderOf(path, 0).replicas());
        followers.remove(Integer.valueOf(leader));
        followers.forEach(CLUSTER::stopTabletServer);
        long end = admin.listOffsets(path, List.of(0), OffsetSpec.latest()).get().get(0);

        try (Connection impatient = ConnectionFactory.create(CLUSTER.clientConf()
                .set(ClientOptions.WRITER_DELIVERY_TIMEOUT, Duration.ofSeconds(2)));
                AppendWriter writer = impatient.table(path).newAppendWriter()) {
            assertThatThrownBy(() -> writer.append(GenericRow.of(2L, "while degraded")).get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(NotEnoughReplicasException.class).hasMessageContaining("in-sync replicas");
        }
        assertThat(admin.listOffsets(path, List.of(0), OffsetSpec.latest()).get()).containsEntry(0, end);

        followers.forEach(CLUSTER::startTabletServer);
        try (AppendWriter writer = table.newAppendWriter()) {
            writer.append(GenericRow.of(3L, "after")).get(60, TimeUnit.SECONDS);
        }
        assertThat(readAll(table, 2)).extracting(r -> r.row().getLong(0)).containsExactly(1L, 3L);
    }

    @Test
    void withEveryInSyncReplicaDownAStaleReplicaDoesNotLead() throws Exception {
        Table table = create("clean", 1, Map.of());
        TablePath path = table.info().path();
        try (AppendWriter writer = table.newAppendWriter()) {
            writer.append(GenericRow.of(1L, "committed")).get();
        }
        int leader = leaderOf(path, 0).leader();
        List<Integer> followers = new ArrayList<>(leaderOf(path, 0).replicas());
        followers.remove(Integer.valueOf(leader));
        followers.forEach(CLUSTER::stopTabletServer);
        TestCluster.waitUntil(() -> leaderOf(path, 0).isr().equals(List.of(leader)), Duration.ofSeconds(30),
                "the ISR shrinks to the leader");
        CLUSTER.haltTabletServer(leader);
        TestCluster.waitUntil(() -> leaderOf(path, 0).leader() < 0, Duration.ofSeconds(30), "the bucket has no leader");

        CLUSTER.startTabletServer(followers.get(0)); // out of sync: must not lead
        Thread.sleep(1000); // nothing to wait for: the point is that nothing happens
        assertThat(leaderOf(path, 0).leader()).isEqualTo(-1);

        CLUSTER.startTabletServer(leader);
        TestCluster.waitUntil(() -> leaderOf(path, 0).leader() == leader, Duration.ofSeconds(30),
                "the last in-sync replica leads again");
        assertThat(readAll(table, 1)).extracting(r -> r.row().getLong(0)).containsExactly(1L);
    }

    @Test
    void aReturningLeaderTruncatesItsUncommittedTailToTheNewLeadersEpoch() throws Exception {
        Table table = create("diverged", 1, Map.of("table.unclean-leader-election", "true"));
        TablePath path = table.info().path();
        try (AppendWriter writer = table.newAppendWriter()) {
            for (long i = 0; i < 10; i++) {
                writer.append(GenericRow.of(i, "committed " + i)).get();
            }
        }
        int oldLeader = leaderOf(path, 0).leader();
        List<Integer> followers = new ArrayList<>(leaderOf(path, 0).replicas());
        followers.remove(Integer.valueOf(oldLeader));
        followers.forEach(CLUSTER::haltTabletServer);
        // acks=1: the leader alone takes these; with one replica in sync they never commit
        try (Connection leaderOnly = ConnectionFactory.create(CLUSTER.clientConf()
                .set(ClientOptions.WRITER_ACKS, ClientOptions.Acks.LEADER));
                AppendWriter writer = leaderOnly.table(path).newAppendWriter()) {
            for (long i = 100; i < 105; i++) {
                writer.append(GenericRow.of(i, "uncommitted " + i)).get(30, TimeUnit.SECONDS);
            }
        }
        CLUSTER.haltTabletServer(oldLeader);
        followers.forEach(CLUSTER::startTabletServer);
        TestCluster.waitUntil(() -> followers.contains(leaderOf(path, 0).leader()), Duration.ofSeconds(30),
                "an out-of-sync replica leads, as the table allows");
        try (AppendWriter writer = table.newAppendWriter()) {
            for (long i = 200; i < 203; i++) {
                writer.append(GenericRow.of(i, "new leader " + i)).get(60, TimeUnit.SECONDS);
            }
        }
        CLUSTER.startTabletServer(oldLeader);
        TestCluster.waitUntil(() -> leaderOf(path, 0).isr().size() == 3, Duration.ofSeconds(30),
                "the old leader catches up and rejoins the ISR");

        assertThat(readAll(table, 13)).extracting(r -> r.row().getLong(0))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 200L, 201L, 202L);
        // Every replica holds the same batch at every offset: the divergent tail is gone everywhere.
        TableBucket bucket = new TableBucket(table.info().tableId(), 0);
        for (int id = 0; id < 3; id++) {
            CLUSTER.stopTabletServer(id);
        }
        List<List<String>> replicas = new ArrayList<>();
        for (int id = 0; id < 3; id++) {
            replicas.add(batches(CLUSTER.tabletServerDataDir(id).resolve("table-" + bucket.tableId()).resolve("bucket-0"),
                    bucket));
        }
        assertThat(replicas.get(0)).isNotEmpty();
        assertThat(replicas.get(1)).isEqualTo(replicas.get(0));
        assertThat(replicas.get(2)).isEqualTo(replicas.get(0));
    }

    private static List<String> batches(Path dir, TableBucket bucket) throws Exception {
        assertThat(Files.isDirectory(dir)).isTrue();
        List<String> batches = new ArrayList<>();
        try (BucketLog log = BucketLog.builder(dir, bucket).open()) {
            for (LogRecordBatch batch : log.read(log.logStartOffset(), Integer.MAX_VALUE).records().batches()) {
                batches.add(batch.baseOffset() + "+" + batch.recordCount() + "@" + batch.leaderEpoch() + "#"
                        + batch.checksum());
            }
        }
        return batches;
    }

    private static List<ScanRecord> readAll(Table table, int expected) {
        List<ScanRecord> rows = new ArrayList<>();
        try (LogScanner scanner = table.newLogScanner()) {
            for (int b = 0; b < table.info().bucketCount(); b++) {
                scanner.subscribe(b, LogScanner.EARLIEST);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (rows.size() < expected && System.nanoTime() < deadline) {
                rows.addAll(scanner.poll(Duration.ofMillis(500)));
            }
            rows.addAll(scanner.poll(Duration.ofMillis(200))); // anything beyond would be a duplicate
        }
        return rows;
    }
}
