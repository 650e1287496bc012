package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Servers that lose ZooKeeper for a while, as a long GC pause or a stalled VM does: tablet servers
 * as OS processes frozen with SIGSTOP past their session timeout, then resumed, and a coordinator
 * replaced by its standby, while an idempotent acks=all writer keeps writing. Also what a cluster
 * with a server down does with new tables and partitions.
 */
class SessionLossITCase {
    private static final Duration SESSION = Duration.ofSeconds(3);
    private static final int BUCKETS = 3;

    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(3).coordinators(2).processes(true)
            .serverOption("zookeeper.session-timeout", SESSION.toSeconds() + " s")
            .serverOption("replica.lag-time-max", "3 s")
            .build();

    private static final Schema DAILY = Schema.builder().column("day", DataTypes.STRING().notNull())
            .column("id", DataTypes.BIGINT().notNull()).build();

    private static final Schema ROWS = Schema.builder().column("id", DataTypes.BIGINT().notNull())
            .column("payload", DataTypes.STRING()).build();

    @Test
    void aTabletServerPausedPastItsSessionRejoinsEveryIsrWithNoOperatorAndWritersNeverStop() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            admin.createDatabase("faults", null, true).get();
            TablePath path = TablePath.of("faults", "paused");
            admin.createTable(path, TableDescriptor.builder(ROWS).buckets(BUCKETS).replicationFactor(3)
                    .options(Map.of("table.min-insync-replicas", "2")).build(), false).get();
            Table table = connection.table(path);
            waitForFullIsr(admin, path);
            // A server that leads a bucket: its leadership must move, then come back as a follower.
            int victim = admin.getTable(path).get().buckets().get(0).leader();

            try (WriterLoad writer = new WriterLoad(table, BUCKETS)) {
                writer.awaitMoreAcked(5_000);
                CLUSTER.pauseTabletServer(victim);
                long resumedAt;
                try {
                    TestCluster.waitUntil(() -> admin.getTable(path).join().buckets().stream()
                            .allMatch(b -> b.leader() != victim && !b.isr().contains(victim)),
                            Duration.ofSeconds(60), "server " + victim + "'s session expires and it leaves every ISR");
                    writer.awaitMoreAcked(5_000); // writers go on without it
                } finally {
                    CLUSTER.resumeTabletServer(victim);
                    resumedAt = System.nanoTime();
                }
                TestCluster.waitUntil(() -> admin.getTable(path).join().buckets().stream()
                        .allMatch(b -> b.isr().contains(victim)), Duration.ofSeconds(60),
                        "server " + victim + " is back in every ISR");
                long rejoinMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumedAt);
                assertThat(rejoinMillis).as("from resuming to back in every ISR").isLessThanOrEqualTo(30_000);
                writer.awaitMoreAcked(5_000);
                writer.finishAndVerify();
            }
        }
    }

    @Test
    void aStandbyCoordinatorTakesOverWhileWritersRun() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            admin.createDatabase("faults", null, true).get();
            TablePath path = TablePath.of("faults", "failover");
            admin.createTable(path, TableDescriptor.builder(ROWS).buckets(BUCKETS).replicationFactor(3).build(), false)
                    .get();
            Table table = connection.table(path);
            waitForFullIsr(admin, path);
            try (WriterLoad writer = new WriterLoad(table, BUCKETS)) {
                writer.awaitMoreAcked(5_000);
                var old = CLUSTER.activeCoordinator();
                CLUSTER.stopCoordinator(old);
                TestCluster.waitUntil(() -> CLUSTER.activeCoordinator() != null && CLUSTER.activeCoordinator() != old,
                        Duration.ofSeconds(60), "the standby coordinator takes over");
                // The new coordinator runs leader changes: a paused server's buckets move.
                int victim = admin.getTable(path).get().buckets().get(1).leader();
                CLUSTER.pauseTabletServer(victim);
                try {
                    TestCluster.waitUntil(() -> admin.getTable(path).join().buckets().stream()
                            .allMatch(b -> b.leader() != victim), Duration.ofSeconds(60),
                            "the new coordinator moves server " + victim + "'s leaderships");
                    writer.awaitMoreAcked(5_000);
                } finally {
                    CLUSTER.resumeTabletServer(victim);
                }
                waitForFullIsr(admin, path);
                writer.finishAndVerify();
            }
        }
    }

    @Test
    void tablesAndPartitionsCreatedWhileAServerIsDownGetTheirFullReplicationFactor() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            admin.createDatabase("faults", null, true).get();
            int down = 2;
            CLUSTER.killTabletServer(down);
            TestCluster.waitUntil(() -> admin.listServers().join().size() == 2, Duration.ofSeconds(30),
                    "server " + down + " is gone");
            try {
                TablePath path = TablePath.of("faults", "created_during_outage");
                admin.createTable(path, TableDescriptor.builder(ROWS).buckets(BUCKETS).replicationFactor(3)
                        .options(Map.of("table.min-insync-replicas", "2")).build(), false).get();
                for (TableInfo.BucketLeader bucket : admin.getTable(path).get().buckets()) {
                    assertThat(bucket.replicas()).hasSize(3).contains(down);
                    assertThat(bucket.isr()).hasSize(2).doesNotContain(down);
                }
                Table table = connection.table(path);
                try (AppendWriter writer = table.newAppendWriter()) {
                    for (long id = 0; id < 1_000; id++) {
                        writer.append(GenericRow.of(id, "during-outage"));
                    }
                    writer.flush();
                }

                TablePath strict = TablePath.of("faults", "needs_three");
                assertThatThrownBy(() -> admin.createTable(strict, TableDescriptor.builder(ROWS).buckets(2)
                        .replicationFactor(3).options(Map.of("table.min-insync-replicas", "3")).build(), false).get())
                        .hasCauseInstanceOf(InvalidRequestException.class)
                        .hasMessageContaining("faults.needs_three").hasMessageContaining("bucket 0")
                        .hasMessageContaining("[" + down + "] are down").hasMessageContaining("table.min-insync-replicas 3");
                assertThatThrownBy(() -> admin.getTable(strict).get()).hasCauseInstanceOf(TableNotExistException.class);

                TablePath byDay = TablePath.of("faults", "partitioned_during_outage");
                admin.createTable(byDay, TableDescriptor.builder(DAILY).buckets(BUCKETS).replicationFactor(3)
                        .partitionedBy("day").options(Map.of("table.min-insync-replicas", "2")).build(), false).get();
                long partitionId = admin.createPartition(byDay, Map.of("day", "2026-12-07"), false).get();
                long tableId = admin.getTable(byDay).get().tableId();
                try (ZooKeeperMetadataStore store = ZooKeeperMetadataStore.connect(
                        CLUSTER.serverConf().get(ServerOptions.ZOOKEEPER_ADDRESS),
                        CLUSTER.serverConf().get(ServerOptions.ZOOKEEPER_ROOT), Duration.ofSeconds(10))) {
                    assertThat(store.leadership().assignment(tableId, partitionId).replicas().values())
                            .allSatisfy(replicas -> assertThat(replicas).hasSize(3).contains(down));
                }
                try (AppendWriter writer = connection.table(byDay).newAppendWriter()) {
                    for (long id = 0; id < 1_000; id++) {
                        writer.append(GenericRow.of("2026-12-07", id));
                    }
                    writer.flush();
                }

                CLUSTER.startTabletServer(down);
                waitForFullIsr(admin, path);
            } finally {
                if (!CLUSTER.isRunning(down)) {
                    CLUSTER.startTabletServer(down);
                }
            }
        }
    }

    private static void waitForFullIsr(Admin admin, TablePath path) {
        TestCluster.waitUntil(() -> admin.getTable(path).join().buckets().stream().allMatch(b -> b.isr().size() == 3),
                Duration.ofMinutes(1), "every bucket of " + path + " has all three replicas in sync");
    }

}
