package io.thermocline.benchmarks.chaos;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.metadata.TablePath;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The faults a chaos run does, one at a time, each measured from the harm to recovery and
 * followed by a full heal (every process up, every replica in sync) before the next.
 */
final class ChaosFaults {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosFaults.class);
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    /** What a coordinator logs when it is (again) a standby. */
    private static final String STANDBY_LINE = "is a standby coordinator";

    enum Kind {
        /** kill -9 of a bucket leader; recovered when another replica leads it. */
        KILL_LEADER("kill -9 of a leader", "a new leader"),
        /** SIGSTOP of a leader past its session timeout; recovered when it is back in every ISR after SIGCONT. */
        PAUSE_LEADER("SIGSTOP of a leader past its session", "back in every ISR after SIGCONT"),
        /** kill -9 of the active coordinator; recovered when the standby is active. */
        KILL_COORDINATOR("kill -9 of the active coordinator", "the standby active"),
        /**
         * SIGSTOP of the active coordinator past its session timeout; recovered when the standby is
         * active. After SIGCONT the old one must step down to standby, its stale epoch fenced.
         */
        PAUSE_COORDINATOR("SIGSTOP of the active coordinator past its session", "the standby active"),
        /** kill -9 of a tiering job's process, restarted; recovered at the next lake commit. */
        KILL_TIERING("kill -9 of a tiering job", "the next lake commit");

        final String fault;
        final String recoveredWhen;

        Kind(String fault, String recoveredWhen) {
            this.fault = fault;
            this.recoveredWhen = recoveredWhen;
        }
    }

    private final ChaosCluster cluster;
    private final Admin admin;
    private final List<TablePath> tables;
    private final List<Kind> kinds;
    private final Map<Kind, List<Long>> recoveries = new EnumMap<>(Kind.class);
    private int next;

    ChaosFaults(ChaosCluster cluster, Admin admin, List<TablePath> tables, List<Kind> kinds) {
        this.cluster = cluster;
        this.admin = admin;
        this.tables = tables;
        this.kinds = kinds;
        for (Kind kind : kinds) {
            recoveries.put(kind, new ArrayList<>());
        }
    }

    /** Recovery times in milliseconds, per kind of fault done. */
    Map<Kind, List<Long>> recoveries() {
        return recoveries;
    }

    /** Does the next fault in turn, waits for recovery and heals the cluster. */
    void next() throws Exception {
        Kind kind = kinds.get(next++ % kinds.size());
        long recovered = switch (kind) {
            case KILL_LEADER -> killLeader();
            case PAUSE_LEADER -> pauseLeader();
            case KILL_COORDINATOR -> killCoordinator();
            case PAUSE_COORDINATOR -> pauseCoordinator();
            case KILL_TIERING -> killTiering();
        };
        recoveries.get(kind).add(recovered);
        LOG.info("{}: recovered in {} ms", kind.fault, recovered);
        awaitHealed();
    }

    private long killLeader() throws Exception {
        TablePath table = tables.get(next % tables.size());
        TableInfo.BucketLeader before = admin.getTable(table).get().buckets().get(next % ChaosWorkload.BUCKETS);
        int victim = before.leader();
        long start = System.nanoTime();
        cluster.tabletServer(victim).kill();
        await(() -> anyBucket(table, b -> b.bucket() == before.bucket() && b.leader() >= 0 && b.leader() != victim),
                table + " bucket " + before.bucket() + " gets a new leader after server " + victim + " was killed");
        long recovered = millisSince(start);
        cluster.tabletServer(victim).start();
        return recovered;
    }

    private long pauseLeader() throws Exception {
        TablePath table = tables.get(next % tables.size());
        int victim = admin.getTable(table).get().buckets().get(next % ChaosWorkload.BUCKETS).leader();
        ChaosProcess server = cluster.tabletServer(victim);
        server.pause();
        long resumed;
        try {
            await(() -> !cluster.liveTabletServers().contains(victim) && tables.stream().allMatch(t -> allBuckets(t,
                    b -> b.leader() != victim && !b.isr().contains(victim))),
                    "server " + victim + "'s session expires and it leaves every ISR");
        } finally {
            server.resume();
            resumed = System.nanoTime();
        }
        await(() -> tables.stream().allMatch(t -> allBuckets(t, b -> b.isr().contains(victim))),
                "server " + victim + " is back in every ISR");
        return millisSince(resumed);
    }

    private long killCoordinator() throws Exception {
        int active = cluster.activeCoordinator().orElseThrow(() -> new IllegalStateException("no active coordinator"));
        long start = System.nanoTime();
        cluster.coordinator(active).kill();
        await(() -> cluster.activeCoordinator().filter(c -> c != active).isPresent(),
                "the standby coordinator takes over");
        long recovered = millisSince(start);
        cluster.coordinator(active).start().awaitPort(cluster.coordinatorPort(active), PATIENCE);
        return recovered;
    }

    private long pauseCoordinator() throws Exception {
        int active = cluster.activeCoordinator().orElseThrow(() -> new IllegalStateException("no active coordinator"));
        ChaosProcess coordinator = cluster.coordinator(active);
        long steppedDown = coordinator.logLines(STANDBY_LINE);
        long start = System.nanoTime();
        coordinator.pause();
        long recovered;
        try {
            await(() -> cluster.activeCoordinator().filter(c -> c != active).isPresent(),
                    "the standby coordinator takes over from the paused one");
            recovered = millisSince(start);
        } finally {
            coordinator.resume();
        }
        await(() -> coordinator.logLines(STANDBY_LINE) > steppedDown
                && cluster.activeCoordinator().filter(c -> c != active).isPresent(),
                "the resumed coordinator steps down to standby and the new one stays active");
        return recovered;
    }

    private long killTiering() throws Exception {
        Map<TablePath, Long> before = new java.util.HashMap<>();
        for (TablePath table : tables) {
            before.put(table, admin.getLakeSnapshot(table).get().map(LakeSnapshot::snapshotId).orElse(-1L));
        }
        ChaosProcess job = cluster.tieringJob(next % cluster.tieringJobCount());
        long start = System.nanoTime();
        job.kill();
        job.start();
        await(() -> tables.stream().anyMatch(t -> admin.getLakeSnapshot(t).join().map(LakeSnapshot::snapshotId)
                .filter(id -> !id.equals(before.get(t))).isPresent()), "a lake commit after the tiering job's restart");
        return millisSince(start);
    }

    /** Every process up and every replica of every bucket in sync again. */
    void awaitHealed() throws Exception {
        for (int id = 0; id < ChaosCluster.TABLET_SERVERS; id++) {
            if (!cluster.tabletServer(id).alive()) {
                cluster.tabletServer(id).start();
            }
        }
        await(() -> cluster.liveTabletServers().size() == ChaosCluster.TABLET_SERVERS, "every tablet server registered");
        await(() -> tables.stream().allMatch(t -> allBuckets(t, b -> b.isr().size() == b.replicas().size()
                && b.leader() >= 0)), "every replica in sync");
    }

    /** Whether every bucket of the table is as asked; false while the coordinator cannot say. */
    private boolean allBuckets(TablePath table, Predicate<TableInfo.BucketLeader> condition) {
        try {
            return admin.getTable(table).get().buckets().stream().allMatch(condition);
        } catch (Exception e) {
            return false;
        }
    }

    private boolean anyBucket(TablePath table, Predicate<TableInfo.BucketLeader> condition) {
        try {
            return admin.getTable(table).get().buckets().stream().anyMatch(condition);
        } catch (Exception e) {
            return false;
        }
    }

    /** Polls until the condition holds; a condition that throws (a server in the middle of a change) is not yet. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Not recovered after " + PATIENCE + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
