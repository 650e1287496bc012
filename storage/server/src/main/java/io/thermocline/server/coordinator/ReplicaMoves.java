package io.thermocline.server.coordinator;

import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Moves of buckets' replicas to other servers, one bucket at a time or all of a server's (a
 * drain): the target replicas join (the leader epoch moves so that every replica hears of the new
 * set), catch up and enter the ISR; then a target replica leads and the others are dropped and
 * deleted. Each move is recorded in ZooKeeper until it ends, so that a coordinator that takes over
 * finishes it. Runs on the replication controller's event thread.
 */
final class ReplicaMoves {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaMoves.class);
    private static final Comparator<TableBucket> BUCKET_ORDER = Comparator.comparingLong(TableBucket::tableId)
            .thenComparingLong(TableBucket::partitionId).thenComparingInt(TableBucket::bucket);

    private final ZooKeeperMetadataStore store;
    private final TabletServerGateway servers;
    private final BucketLeaderships view;
    /** Buckets whose replicas are moving, to their target replicas. */
    private final Map<TableBucket, List<Integer>> moving = new HashMap<>();

    ReplicaMoves(ZooKeeperMetadataStore store, TabletServerGateway servers, BucketLeaderships view) {
        this.store = store;
        this.servers = servers;
        this.view = view;
    }

    /** After taking over: the moves ZooKeeper records go on, and those already done end. */
    void resume() {
        moving.clear();
        for (TableBucket bucket : view.buckets.keySet()) {
            store.leadership().reassignmentTarget(bucket).ifPresent(target -> moving.put(bucket, target));
        }
        List.copyOf(moving.keySet()).forEach(this::advance);
    }

    boolean isMoving(TableBucket bucket) {
        return moving.containsKey(bucket);
    }

    /** Buckets that are gone (dropped tables, a deactivated coordinator) move no more. */
    void forget(Predicate<TableBucket> gone) {
        moving.keySet().removeIf(gone);
    }

    /**
     * Moves every replica off a server, each to the live member holding fewest replicas, and makes
     * it no member any more so that no new bucket lands on it. Returns how many buckets move.
     */
    int drain(int server) {
        Map<Integer, Long> load = new TreeMap<>();
        for (int member : store.servers().known().keySet()) {
            if (member != server && view.live.containsKey(member) && !view.shuttingDown.contains(member)) {
                load.put(member, 0L);
            }
        }
        view.buckets.values().forEach(state -> state.replicas.forEach(r -> load.computeIfPresent(r, (k, n) -> n + 1)));
        Map<TableBucket, List<Integer>> targets = new TreeMap<>(BUCKET_ORDER);
        for (Map.Entry<TableBucket, BucketLeaderships.BucketState> entry : view.buckets.entrySet()) {
            List<Integer> replicas = moving.getOrDefault(entry.getKey(), entry.getValue().replicas);
            if (!replicas.contains(server)) {
                continue;
            }
            int replacement = load.entrySet().stream().filter(e -> !replicas.contains(e.getKey()))
                    .min(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElseThrow(() -> new InvalidRequestException("Tablet server " + server + " cannot be drained: "
                            + entry.getKey() + " has replicas " + replicas + " and no other live server can take"
                            + " one (live: " + load.keySet() + ")"));
            load.merge(replacement, 1L, Long::sum);
            targets.put(entry.getKey(), replicas.stream().map(r -> r == server ? replacement : r)
                    .collect(Collectors.toList()));
        }
        store.servers().forget(server);
        targets.forEach((bucket, target) -> start(bucket, bucket.toString(), target));
        LOG.info("Draining tablet server {}: {} buckets move off it", server, targets.size());
        return targets.size();
    }

    /** Starts moving a bucket's replicas to {@code target}; {@code what} names it in errors. */
    void start(TableBucket bucket, String what, List<Integer> target) {
        BucketLeaderships.BucketState state = view.buckets.get(bucket);
        if (state == null) {
            throw new InvalidRequestException(what + " is unknown to the coordinator");
        }
        if (target.isEmpty() || target.stream().distinct().count() != target.size()) {
            throw new InvalidRequestException(what + ": replicas " + target + " must name one or more distinct servers");
        }
        List<Integer> notLive = target.stream().filter(r -> !view.live.containsKey(r) || view.shuttingDown.contains(r))
                .collect(Collectors.toList());
        if (!notLive.isEmpty()) {
            throw new InvalidRequestException(what + ": servers " + notLive + " are not live tablet servers; live: "
                    + view.live.keySet());
        }
        if (target.equals(state.replicas) && !moving.containsKey(bucket)) {
            return;
        }
        store.leadership().setReassignmentTarget(bucket, target, view.coordinatorEpoch);
        moving.put(bucket, List.copyOf(target));
        List<Integer> all = new ArrayList<>(target);
        state.replicas.stream().filter(r -> !all.contains(r)).forEach(all::add);
        store.leadership().setReplicas(bucket, all, view.coordinatorEpoch);
        state.replicas = List.copyOf(all);
        LeaderAndIsr current = state.leadership;
        if (current.leader() >= 0) {
            view.write(bucket, state, new LeaderAndIsr(current.leader(), current.leaderEpoch() + 1, current.isr(),
                    view.coordinatorEpoch));
        }
        LOG.info("{}: moving replicas {} to {}", what, current.isr(), target);
        Map<Integer, List<TableBucket>> changed = new TreeMap<>();
        view.tellLiveReplicas(bucket, state, changed);
        changed.forEach(view::announce);
        advance(bucket);
    }

    /** Ends a bucket's move once every target replica is in sync; nothing yet otherwise. */
    void advance(TableBucket bucket) {
        List<Integer> target = moving.get(bucket);
        BucketLeaderships.BucketState state = view.buckets.get(bucket);
        if (target == null || state == null) {
            return;
        }
        Optional<LeaderAndIsr> next = LeaderElection.completeMove(target, state.leadership, view.live.keySet(),
                view.coordinatorEpoch);
        if (next.isEmpty()) {
            return;
        }
        List<Integer> dropped = state.replicas.stream().filter(r -> !target.contains(r)).collect(Collectors.toList());
        if (!view.write(bucket, state, next.get())) {
            return; // reloaded: the next ISR change tries again
        }
        // A coordinator taking over between these writes finds the move recorded and ends it again.
        store.leadership().setReplicas(bucket, target, view.coordinatorEpoch);
        state.replicas = target;
        store.leadership().setReassignmentTarget(bucket, null, view.coordinatorEpoch);
        moving.remove(bucket);
        Map<Integer, List<TableBucket>> changed = new TreeMap<>();
        view.tellLiveReplicas(bucket, state, changed);
        changed.forEach(view::announce);
        Map<Integer, List<TableBucket>> deleted = new TreeMap<>();
        dropped.forEach(server -> deleted.put(server, List.of(bucket)));
        servers.deleteReplicas(deleted, view.coordinatorEpoch);
        LOG.info("{}: moved to replicas {}, led by {}; dropped {}", bucket, target, next.get().leader(), dropped);
    }
}
