package io.thermocline.server.coordinator;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.exception.NotCoordinatorException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.messages.BucketLeaderAndIsr;
import io.thermocline.rpc.protocol.BucketRefs;
import io.thermocline.server.zk.LeadershipStore.Versioned;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;
import io.thermocline.server.zk.ZkRecords.PartitionRegistration;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZkRecords.TabletServerRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The active coordinator's copy of every bucket's replicas and leadership, of the live servers
 * and of its own epoch, and the one way to change a bucket: write it to ZooKeeper (compare-and-set,
 * fenced by the epoch), then announce it to the replicas. Confined to the replication controller's
 * event thread, whose parts (elections, leader balance, replica moves) all decide from it.
 */
final class BucketLeaderships {
    private static final Logger LOG = LoggerFactory.getLogger(BucketLeaderships.class);

    /** A bucket's replicas and its current leadership at a ZooKeeper version. */
    static final class BucketState {
        /** The assignment's replicas, the preferred leader first; while a move runs, old and new. */
        List<Integer> replicas;
        final boolean unclean;
        LeaderAndIsr leadership;
        int version;

        BucketState(List<Integer> replicas, boolean unclean, LeaderAndIsr leadership, int version) {
            this.replicas = replicas;
            this.unclean = unclean;
            this.leadership = leadership;
            this.version = version;
        }
    }

    private final ZooKeeperMetadataStore store;
    private final TabletServerGateway servers;

    /** -1 while this coordinator is not active. */
    int coordinatorEpoch = -1;
    final Map<TableBucket, BucketState> buckets = new HashMap<>();
    /** Live servers by id, with the time they registered: a re-registration is a restart. */
    Map<Integer, Long> live = Map.of();
    final Set<Integer> shuttingDown = new HashSet<>();

    BucketLeaderships(ZooKeeperMetadataStore store, TabletServerGateway servers) {
        this.store = store;
        this.servers = servers;
    }

    /** Reads every bucket's replicas and leadership from ZooKeeper. */
    void loadAll() {
        for (long tableId : store.tableIds()) {
            Optional<TableRegistration> table = store.table(tableId);
            if (table.isEmpty()) {
                continue;
            }
            if (table.get().isPartitioned()) {
                for (PartitionRegistration partition : store.partitions(tableId)) {
                    load(table.get(), partition.partitionId());
                }
            } else {
                load(table.get(), TableBucket.NO_PARTITION);
            }
        }
    }

    /** Reads the buckets of a table, or of one of its partitions; none when it was dropped meanwhile. */
    void load(TableRegistration table, long partitionId) {
        BucketAssignment assignment;
        try {
            assignment = store.leadership().assignment(table.tableId(), partitionId);
        } catch (RuntimeException e) {
            return; // dropped meanwhile
        }
        boolean unclean = new Configuration(table.options()).get(TableOptions.UNCLEAN_LEADER_ELECTION);
        assignment.replicas().forEach((bucketNumber, replicas) -> {
            TableBucket bucket = new TableBucket(table.tableId(), partitionId, bucketNumber);
            store.leadership().leaderAndIsr(bucket).ifPresent(leader -> buckets.put(bucket,
                    new BucketState(List.copyOf(replicas), unclean, leader.value(), leader.version())));
        });
    }

    /** The live servers now, by id, with their incarnations. */
    Map<Integer, Long> liveServers() {
        Map<Integer, Long> servers = new TreeMap<>();
        for (TabletServerRegistration server : store.servers().live().values()) {
            servers.put(server.id(), server.registeredAt());
        }
        return servers;
    }

    /** Writes a bucket's next leadership to ZooKeeper if nobody changed it meanwhile; re-reads on conflict. */
    boolean write(TableBucket bucket, BucketState state, LeaderAndIsr next) {
        if (store.leadership().compareAndSetLeaderAndIsr(bucket, next, state.version, coordinatorEpoch)) {
            state.leadership = next;
            state.version = state.version + 1;
            LOG.info("{}: leader {} epoch {} ISR {}", bucket, next.leader(), next.leaderEpoch(), next.isr());
            return true;
        }
        Optional<Versioned<LeaderAndIsr>> fresh = store.leadership().leaderAndIsr(bucket);
        fresh.ifPresent(f -> {
            state.leadership = f.value();
            state.version = f.version();
        });
        LOG.warn("{}: leadership changed in ZooKeeper behind the coordinator's back; reloaded {}", bucket,
                fresh.map(Versioned::value).orElse(null));
        return false;
    }

    CompletableFuture<Void> announce(int server, Collection<TableBucket> changed) {
        List<BucketLeaderAndIsr> states = new ArrayList<>();
        for (TableBucket bucket : changed) {
            BucketState state = buckets.get(bucket);
            if (state != null) {
                states.add(toMessage(bucket, state));
            }
        }
        if (states.isEmpty() || !live.containsKey(server)) {
            return CompletableFuture.completedFuture(null);
        }
        return servers.notifyLeaderAndIsr(server, live.get(server), states, coordinatorEpoch);
    }

    /** Adds the bucket to what each of its live replicas is to be told. */
    void tellLiveReplicas(TableBucket bucket, BucketState state, Map<Integer, List<TableBucket>> changed) {
        state.replicas.stream().filter(live::containsKey)
                .forEach(r -> changed.computeIfAbsent(r, s -> new ArrayList<>()).add(bucket));
    }

    static BucketLeaderAndIsr toMessage(TableBucket bucket, BucketState state) {
        return BucketLeaderAndIsr.newBuilder()
                .setBucket(BucketRefs.of(bucket))
                .setLeader(state.leadership.leader())
                .setLeaderEpoch(state.leadership.leaderEpoch())
                .addAllIsr(state.leadership.isr())
                .addAllReplicas(state.replicas)
                .setBucketVersion(state.version)
                .build();
    }

    void requireActive() {
        if (coordinatorEpoch < 0) {
            throw new NotCoordinatorException("This coordinator is not active");
        }
    }
}
