package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where replicas and leaderships go when an operator, or the coordinator itself, moves them:
 * leaderships back to preferred replicas after a restart, one bucket's replicas moved, and a
 * server drained, while an idempotent acks=all writer keeps writing.
 */
class ReplicaMovesITCase {
    private static final Duration REBALANCE = Duration.ofSeconds(2);
    private static final int BUCKETS = 4;

    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(4)
            .serverOption("coordinator.leader-rebalance.interval", REBALANCE.toMillis() + " ms")
            .serverOption("replica.lag-time-max", "3 s")
            .build();

    /** No automatic rebalance: what the admin call alone does. */
    @RegisterExtension
    static final TestCluster MANUAL = TestCluster.builder().tabletServers(3)
            .serverOption("coordinator.auto-leader-rebalance", "false")
            .build();

    private static final Schema ROWS = Schema.builder().column("id", DataTypes.BIGINT().notNull())
            .column("payload", DataTypes.STRING()).build();

    @Test
    void leadershipsGoBackToPreferredReplicasByThemselvesAfterARestart() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            TablePath path = create(admin, "balanced", 3);
            waitUntilPreferredLead(admin, path, Duration.ofSeconds(30));
            int restarted = admin.getTable(path).get().buckets().get(0).leader();
            CLUSTER.stopTabletServer(restarted); // controlled: its leaderships move to others
            assertThat(admin.getTable(path).get().buckets()).noneMatch(b -> b.leader() == restarted);
            CLUSTER.startTabletServer(restarted);
            waitForFullIsr(admin, path, 3);
            // Within a few intervals of its return (the interval is the bound, not a timing).
            waitUntilPreferredLead(admin, path, REBALANCE.multipliedBy(3).plusSeconds(10));
            assertThat(admin.getTable(path).get().buckets()).anyMatch(b -> b.leader() == restarted);
        }
    }

    @Test
    void electPreferredLeadersMovesLeadershipsBackAtOnce() throws Exception {
        try (Connection connection = ConnectionFactory.create(MANUAL.clientConf())) {
            Admin admin = connection.admin();
            TablePath path = create(admin, "manual", 3);
            int restarted = admin.getTable(path).get().buckets().get(0).leader();
            MANUAL.stopTabletServer(restarted);
            MANUAL.startTabletServer(restarted);
            waitForFullIsr(admin, path, 3);
            long notPreferred = admin.getTable(path).get().buckets().stream()
                    .filter(b -> b.leader() != b.replicas().get(0)).count();
            assertThat(notPreferred).as("nothing moves leaderships back by itself here").isPositive();
            assertThat(admin.electPreferredLeaders().get()).isEqualTo((int) notPreferred);
            waitUntilPreferredLead(admin, path, Duration.ofSeconds(10));
            assertThat(admin.electPreferredLeaders().get()).isZero();
        }
    }

    @Test
    void aBucketsReplicasMoveWhileWritersRunAndBadMovesAreRefused() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            TablePath path = create(admin, "moved", 2);
            Table table = connection.table(path);
            TableInfo.BucketLeader before = admin.getTable(path).get().buckets().get(0);
            List<Integer> target = new java.util.ArrayList<>(List.of(0, 1, 2, 3));
            target.removeAll(before.replicas());
            target.add(before.replicas().get(1)); // one stays, two are new, the leader goes
            try (WriterLoad writer = new WriterLoad(table, BUCKETS)) {
                writer.awaitMoreAcked(5_000);
                admin.reassignReplicas(path, null, 0, target).get();
                TestCluster.waitUntil(() -> {
                    TableInfo.BucketLeader now = admin.getTable(path).join().buckets().get(0);
                    return now.replicas().equals(target) && new HashSet<>(now.isr()).equals(new HashSet<>(target));
                }, Duration.ofMinutes(1), "bucket 0 moved to " + target);
                assertThat(admin.getTable(path).get().buckets().get(0).leader()).isIn(target);
                writer.awaitMoreAcked(5_000);
                writer.finishAndVerify();
            }

            assertRefused(admin.reassignReplicas(path, null, 1, List.of(0, 99)), "servers [99] are not live");
            assertRefused(admin.reassignReplicas(path, null, 1, List.of(0, 0)), "distinct");
            assertRefused(admin.reassignReplicas(path, null, BUCKETS, List.of(0, 1)), "has no bucket " + BUCKETS);
            assertRefused(admin.reassignReplicas(path, "day=2026-12-07", 1, List.of(0, 1)), "is not partitioned");
        }
    }

    @Test
    void aDrainedServerEndsWithNoReplicaAndGetsNoNewBucketsWhileNothingIsLost() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            TablePath path = create(admin, "drained", 3);
            Table table = connection.table(path);
            int drained = 3;
            long holding = admin.getTable(path).get().buckets().stream().filter(b -> b.replicas().contains(drained))
                    .count();
            try (WriterLoad writer = new WriterLoad(table, BUCKETS)) {
                writer.awaitMoreAcked(5_000);
                assertThat(admin.drainServer(drained).get()).isGreaterThanOrEqualTo((int) holding).isPositive();
                TestCluster.waitUntil(() -> admin.getTable(path).join().buckets().stream()
                        .allMatch(b -> !b.replicas().contains(drained) && b.replicas().size() == 3 && b.isr().size() == 3),
                        Duration.ofMinutes(1), "server " + drained + " holds no replica of " + path);
                writer.awaitMoreAcked(5_000);
                writer.finishAndVerify();
            }
            TablePath after = create(admin, "after_drain", 3);
            Set<Integer> used = new HashSet<>();
            admin.getTable(after).get().buckets().forEach(b -> used.addAll(b.replicas()));
            assertThat(used).doesNotContain(drained);
            // Restarting it makes it a member again, as a new server would be.
            CLUSTER.restartTabletServer(drained);
            TestCluster.waitUntil(() -> admin.listServers().join().size() == 4, Duration.ofSeconds(30),
                    "server " + drained + " is back");
        }
    }

    @Test
    void aServerThatWasDownWhileItsReplicaMovedAwayDeletesItWhenItStarts() throws Exception {
        try (Connection connection = ConnectionFactory.create(MANUAL.clientConf())) {
            Admin admin = connection.admin();
            TablePath path = create(admin, "moved_while_down", 2);
            TableInfo table = admin.getTable(path).get();
            List<Integer> replicas = table.buckets().get(1).replicas();
            int down = replicas.get(1);
            java.nio.file.Path bucketDir = MANUAL.tabletServerDataDir(down).resolve("table-" + table.tableId())
                    .resolve("bucket-1");
            assertThat(bucketDir).isDirectory();
            MANUAL.stopTabletServer(down);
            int other = List.of(0, 1, 2).stream().filter(s -> !replicas.contains(s)).findFirst().orElseThrow();
            List<Integer> target = List.of(replicas.get(0), other);
            admin.reassignReplicas(path, null, 1, target).get();
            TestCluster.waitUntil(() -> admin.getTable(path).join().buckets().get(1).replicas().equals(target),
                    Duration.ofMinutes(1), "bucket 1 moved off server " + down + " while it is down");
            MANUAL.startTabletServer(down);
            assertThat(bucketDir).doesNotExist();
        }
    }

    private static TablePath create(Admin admin, String name, int replicationFactor) throws Exception {
        admin.createDatabase("moves", null, true).get();
        TablePath path = TablePath.of("moves", name);
        admin.createTable(path, TableDescriptor.builder(ROWS).buckets(BUCKETS).replicationFactor(replicationFactor)
                .options(Map.of("table.min-insync-replicas", String.valueOf(replicationFactor - 1))).build(), false).get();
        waitForFullIsr(admin, path, replicationFactor);
        return path;
    }

    private static void waitForFullIsr(Admin admin, TablePath path, int replicationFactor) {
        TestCluster.waitUntil(() -> admin.getTable(path).join().buckets().stream()
                .allMatch(b -> b.isr().size() == replicationFactor), Duration.ofMinutes(1),
                "every bucket of " + path + " has all its replicas in sync");
    }

    private static void waitUntilPreferredLead(Admin admin, TablePath path, Duration within) {
        TestCluster.waitUntil(() -> admin.getTable(path).join().buckets().stream()
                .allMatch(b -> b.leader() == b.replicas().get(0)), within,
                "every bucket of " + path + " is led by its preferred replica");
    }

    private static void assertRefused(java.util.concurrent.CompletableFuture<?> call, String message) {
        assertThatThrownBy(call::get).hasCauseInstanceOf(InvalidRequestException.class).hasMessageContaining(message);
    }
}
