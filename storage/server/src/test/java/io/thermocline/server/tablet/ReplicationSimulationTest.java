package io.thermocline.server.tablet;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.exception.ApiException;
import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecords;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.testutils.TestBatches;
import io.thermocline.common.types.DataTypes;
import io.thermocline.common.types.RowType;
import io.thermocline.server.coordinator.LeaderElectionAccess;
import io.thermocline.server.log.BucketLog;
import io.thermocline.server.log.FileLogRecords;
import io.thermocline.server.log.LeaderEpochCache;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;

/**
 * The replication state machine under random schedules: three real {@link Replica}s over real
 * bucket logs, the coordinator's real election rules, and a network that delays and reorders
 * announcements, fetches and ISR proposals, with crashes whose detection comes late (zombie
 * leaders). After every step: one leader per epoch, epochs and leader high watermarks never go
 * back, and no replica exposes anything but the committed batch below its high watermark. At the
 * end, with everyone back, every replica holds exactly the committed history.
 */
class ReplicationSimulationTest {
    private static final TableBucket BUCKET = new TableBucket(1, 0);
    private static final List<Integer> REPLICAS = List.of(0, 1, 2);
    private static final RowType ROW_TYPE = DataTypes.ROW(DataTypes.FIELD("id", DataTypes.BIGINT()));
    private static final int MIN_ISR = 2;
    private static final long MAX_LAG_MS = 300;
    private static BufferAllocator allocator;

    @TempDir
    Path dir;

    @BeforeAll
    static void allocate() {
        allocator = new RootAllocator();
    }

    @AfterAll
    static void release() {
        allocator.close();
    }

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void invariantsHoldUnderRandomSchedules(long seed) {
        new Simulation(seed, dir.resolve("seed-" + seed)).run(400);
    }

    /** One simulated cluster. Single-threaded: every interleaving comes from the seed. */
    private static final class Simulation implements Replica.IsrChanges {
        final Random random;
        final Path root;
        final Map<Integer, Replica> replicas = new TreeMap<>();
        final List<BucketLog> abandoned = new ArrayList<>();
        final Set<Integer> processAlive = new HashSet<>(REPLICAS);
        /** What the coordinator believes alive (it learns of crashes late). */
        final Set<Integer> coordinatorLive = new HashSet<>(REPLICAS);
        final Deque<Runnable> network = new ArrayDeque<>();
        final Map<Integer, Boolean> truncated = new HashMap<>();
        /** Bumped when a server restarts: announcements meant for an earlier life are refused, as servers do. */
        final Map<Integer, Integer> incarnation = new HashMap<>();
        LeaderAndIsr leadership = new LeaderAndIsr(0, 0, REPLICAS, 0);
        int version = 0;
        long now = 0;
        long nextId = 0;
        // invariant state
        final Map<Integer, Integer> leaderOfEpoch = new HashMap<>();
        final Map<Integer, Integer> lastEpochSeen = new HashMap<>();
        final Map<Integer, Long> leaderHighWatermark = new HashMap<>();
        final TreeMap<Long, Long> committed = new TreeMap<>();

        Simulation(long seed, Path root) {
            this.random = new Random(seed);
            this.root = root;
            leaderOfEpoch.put(0, 0);
            for (int id : REPLICAS) {
                open(id);
            }
            announceToAll();
            drainNetwork();
        }

        void open(int id) {
            BucketLog log = BucketLog.builder(root.resolve("server-" + id), BUCKET).open();
            replicas.put(id, new Replica(BUCKET, log, id, MIN_ISR, this));
            incarnation.merge(id, 1, Integer::sum);
            truncated.put(id, false);
            lastEpochSeen.remove(id); // a new process knows no epoch until the coordinator tells it
        }

        void run(int steps) {
            for (int step = 0; step < steps; step++) {
                int choice = random.nextInt(100);
                if (choice < 30) {
                    append();
                } else if (choice < 60) {
                    fetch(REPLICAS.get(random.nextInt(3)));
                } else if (choice < 78) {
                    deliverOne();
                } else if (choice < 86) {
                    tick();
                } else if (choice < 91) {
                    crash();
                } else if (choice < 95) {
                    noticeCrash();
                } else {
                    restart();
                }
                checkInvariants();
            }
            heal();
        }

        // ---------------------------------------------------------- events

        void append() {
            List<Replica> leaders = replicas.entrySet().stream()
                    .filter(e -> processAlive.contains(e.getKey()) && e.getValue().role() == Replica.Role.LEADER)
                    .map(Map.Entry::getValue).toList();
            if (leaders.isEmpty()) {
                return;
            }
            Replica leader = leaders.get(random.nextInt(leaders.size()));
            List<GenericRow> rows = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                rows.add(GenericRow.of(nextId++));
            }
            MemoryLogRecords batch = TestBatches.appendOnly(ROW_TYPE, 1, LogCompression.NONE, rows, allocator);
            try {
                leader.appendAsLeader(batch, random.nextBoolean());
            } catch (ApiException expected) {
                // not enough replicas, or no longer leader: the client would retry
            }
        }

        /** One fetch round of a follower: truncate first if it has not since it started following. */
        void fetch(int followerId) {
            Replica follower = replicas.get(followerId);
            if (!processAlive.contains(followerId) || follower.role() != Replica.Role.FOLLOWER) {
                return;
            }
            int leaderId = follower.leaderId();
            Replica leader = replicas.get(leaderId);
            if (!processAlive.contains(leaderId)) {
                return;
            }
            int epoch = follower.leaderEpoch();
            try {
                if (!truncated.get(followerId)) {
                    leader.requireLeader();
                    leader.checkEpoch(epoch);
                    LeaderEpochCache.EpochEnd answer = leader.log().endOfEpoch(follower.log().latestEpoch());
                    long cut = ReplicaFetcher.truncationOffset(follower.log(), answer);
                    if (cut < follower.log().logEndOffset()) {
                        follower.truncateTo(cut);
                    }
                    truncated.put(followerId, true);
                    return;
                }
                long offset = follower.log().logEndOffset();
                leader.onFollowerFetch(followerId, epoch, offset, now);
                LogRecords records = leader.readForFollower(offset, 1 << 20);
                follower.appendAsFollower(copy(records), leader.highWatermark());
            } catch (ApiException expected) {
                // fenced, unknown epoch, not leader: wait for the next announcement
            }
        }

        void deliverOne() {
            if (!network.isEmpty()) {
                // Messages overtake each other: deliver a random one of the first few.
                List<Runnable> head = new ArrayList<>();
                for (int i = 0; i < 3 && !network.isEmpty(); i++) {
                    head.add(network.pollFirst());
                }
                Runnable chosen = head.remove(random.nextInt(head.size()));
                for (int i = head.size() - 1; i >= 0; i--) {
                    network.addFirst(head.get(i));
                }
                chosen.run();
            }
        }

        void tick() {
            now += random.nextInt(200);
            for (Map.Entry<Integer, Replica> entry : replicas.entrySet()) {
                if (processAlive.contains(entry.getKey())) {
                    entry.getValue().maybeShrinkIsr(now, MAX_LAG_MS);
                }
            }
        }

        /** The process dies; the coordinator learns of it only at {@link #noticeCrash}. */
        void crash() {
            List<Integer> alive = new ArrayList<>(processAlive);
            if (alive.size() <= 1) {
                return;
            }
            int victim = alive.get(random.nextInt(alive.size()));
            processAlive.remove(victim);
            abandoned.add(replicas.get(victim).log()); // a crash closes nothing
        }

        void noticeCrash() {
            for (int server : new ArrayList<>(coordinatorLive)) {
                if (!processAlive.contains(server)) {
                    coordinatorLive.remove(server);
                    LeaderElectionAccess.afterLeaving(REPLICAS, leadership, server, coordinatorLive, false, 1)
                            .ifPresent(this::decide);
                    return;
                }
            }
        }

        void restart() {
            for (int server : REPLICAS) {
                if (!processAlive.contains(server) && !coordinatorLive.contains(server)) {
                    processAlive.add(server);
                    open(server);
                    coordinatorLive.add(server);
                    if (leadership.leader() < 0) {
                        LeaderElectionAccess.electOffline(REPLICAS, leadership, coordinatorLive, false, 1)
                                .ifPresent(this::decide);
                    }
                    announce(server);
                    return;
                }
            }
        }

        // ---------------------------------------------------------- coordinator

        void decide(LeaderAndIsr next) {
            assertThat(next.leaderEpoch()).as("epochs never go back").isGreaterThanOrEqualTo(leadership.leaderEpoch());
            if (next.leader() >= 0) {
                Integer previous = leaderOfEpoch.putIfAbsent(next.leaderEpoch(), next.leader());
                assertThat(previous == null || previous == next.leader()).as("one leader per epoch").isTrue();
            }
            leadership = next;
            version++;
            announceToAll();
        }

        void announceToAll() {
            REPLICAS.forEach(this::announce);
        }

        void announce(int server) {
            Replica.Leadership message = new Replica.Leadership(leadership.leader(), leadership.leaderEpoch(),
                    leadership.isr(), REPLICAS, version);
            int target = incarnation.get(server);
            network.addLast(() -> {
                if (processAlive.contains(server) && incarnation.get(server) == target) {
                    Replica replica = replicas.get(server);
                    if (replica.applyLeadership(message, now) && message.leader() != server) {
                        truncated.put(server, false);
                    }
                }
            });
        }

        @Override
        public void propose(Replica replica, int leaderEpoch, Set<Integer> newIsr, int bucketVersion) {
            network.addLast(() -> {
                boolean current = leadership.leader() == replicas.entrySet().stream()
                        .filter(e -> e.getValue() == replica).findFirst().map(Map.Entry::getKey).orElse(-1)
                        && leadership.leaderEpoch() == leaderEpoch && version == bucketVersion;
                boolean joinersAlive = newIsr.stream().allMatch(m -> leadership.isr().contains(m)
                        || coordinatorLive.contains(m));
                if (!current || !joinersAlive) {
                    network.addLast(replica::onIsrProposalFailed);
                    return;
                }
                leadership = new LeaderAndIsr(leadership.leader(), leaderEpoch, List.copyOf(newIsr), 1);
                version++;
                int committedVersion = version;
                network.addLast(() -> replica.onIsrCommitted(leaderEpoch, Set.copyOf(newIsr), committedVersion));
            });
        }

        // ---------------------------------------------------------- invariants

        void checkInvariants() {
            Map<Integer, Integer> leadersByEpoch = new HashMap<>();
            for (Map.Entry<Integer, Replica> entry : replicas.entrySet()) {
                int id = entry.getKey();
                Replica replica = entry.getValue();
                if (!processAlive.contains(id)) {
                    continue;
                }
                int epoch = replica.leaderEpoch();
                Integer before = lastEpochSeen.put(id, epoch);
                assertThat(before == null || epoch >= before).as("replica %d's epoch never goes back", id).isTrue();
                if (replica.role() == Replica.Role.LEADER) {
                    Integer other = leadersByEpoch.put(epoch, id);
                    assertThat(other).as("two leaders in epoch %d", epoch).isNull();
                    long highWatermark = replica.highWatermark();
                    Long previous = leaderHighWatermark.put(epoch, highWatermark);
                    assertThat(previous == null || highWatermark >= previous)
                            .as("leader high watermark of epoch %d never goes back (server %d: %s -> %d, log end %d)",
                                    epoch, id, previous, highWatermark, replica.log().logEndOffset()).isTrue();
                    recordCommitted(replica.log(), highWatermark);
                }
            }
        }

        /** Offsets below a leader's high watermark are committed: they must match what was committed before. */
        void recordCommitted(BucketLog log, long highWatermark) {
            if (highWatermark <= log.logStartOffset()) {
                return;
            }
            for (LogRecordBatch batch : log.read(log.logStartOffset(), Integer.MAX_VALUE, highWatermark).records().batches()) {
                Long known = committed.putIfAbsent(batch.baseOffset(), batch.checksum());
                assertThat(known == null || known == batch.checksum())
                        .as("offset %d committed with two different batches", batch.baseOffset()).isTrue();
            }
        }

        /** Everyone back, every message delivered, followers caught up: all logs hold the committed history. */
        void heal() {
            for (int i = 0; i < 3; i++) {
                noticeCrash();
            }
            for (int i = 0; i < 3; i++) {
                restart();
            }
            for (int round = 0; round < 200; round++) {
                drainNetwork();
                REPLICAS.forEach(this::fetch);
                now += 10;
                checkInvariants();
            }
            drainNetwork();
            assertThat(leadership.leader()).as("a leader once everyone is back").isGreaterThanOrEqualTo(0);
            Map<Integer, List<Long>> logs = new TreeMap<>();
            for (int id : REPLICAS) {
                List<Long> checksums = new ArrayList<>();
                BucketLog log = replicas.get(id).log();
                for (LogRecordBatch batch : log.read(log.logStartOffset(), Integer.MAX_VALUE).records().batches()) {
                    Long known = committed.get(batch.baseOffset());
                    assertThat(known == null || known == batch.checksum())
                            .as("server %d holds another batch at committed offset %d", id, batch.baseOffset()).isTrue();
                    checksums.add(batch.checksum());
                }
                logs.put(id, checksums);
                if (!committed.isEmpty()) {
                    assertThat(log.logEndOffset()).as("server %d lost committed offsets", id)
                            .isGreaterThan(committed.lastKey());
                }
            }
            assertThat(logs.get(1)).isEqualTo(logs.get(0));
            assertThat(logs.get(2)).isEqualTo(logs.get(0));
            replicas.values().forEach(Replica::close);
            abandoned.forEach(BucketLog::close);
        }

        void drainNetwork() {
            for (int i = 0; i < 1000 && !network.isEmpty(); i++) {
                network.pollFirst().run();
            }
        }

        private static MemoryLogRecords copy(LogRecords records) {
            return records.sizeInBytes() == 0 ? MemoryLogRecords.EMPTY : ((FileLogRecords) records).toMemory();
        }
    }
}
