package io.thermocline.server.coordinator;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.FencedLeaderEpochException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.NotCoordinatorException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.messages.BucketLeaderAndIsr;
import io.thermocline.rpc.protocol.BucketRefs;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;
import io.thermocline.server.zk.ZkRecords.PartitionRegistration;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZkRecords.TabletServerRegistration;
import io.thermocline.server.zk.LeadershipStore.Versioned;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Who leads every bucket, decided by the active coordinator alone on one event thread: elections
 * when a leader's server dies or shuts down, ISR changes that leaders propose, leaders for buckets
 * whose in-sync replicas come back, and announcements of all of it to the replicas. ZooKeeper
 * holds each decision (compare-and-set on the bucket's leader record) before any replica hears of
 * it; this class keeps a copy of every bucket's state to decide fast.
 */
final class ReplicationController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationController.class);

    private static final Comparator<TableBucket> BUCKET_ORDER = Comparator.comparingLong(TableBucket::tableId)
            .thenComparingLong(TableBucket::partitionId).thenComparingInt(TableBucket::bucket);

    private final ZooKeeperMetadataStore store;
    private final TabletServerGateway servers;
    private final ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coordinator-events");
        t.setDaemon(true);
        return t;
    });
    /** How often leaderships go back to preferred replicas by themselves; null: never. */
    private final Duration rebalanceInterval;

    // Guarded by the event thread.
    private int coordinatorEpoch = -1;
    private final Map<TableBucket, BucketState> buckets = new HashMap<>();
    /** Live servers by id, with the time they registered: a re-registration is a restart. */
    private Map<Integer, Long> live = Map.of();
    private final Set<Integer> shuttingDown = new HashSet<>();
    /** Buckets whose replicas are moving, to their target replicas (also recorded in ZooKeeper). */
    private final Map<TableBucket, List<Integer>> moving = new HashMap<>();
    private AutoCloseable serverWatch;
    private ScheduledFuture<?> rebalance;

    /** A bucket's replicas and its current leadership at a ZooKeeper version. */
    private static final class BucketState {
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

    ReplicationController(ZooKeeperMetadataStore store, TabletServerGateway servers, Duration rebalanceInterval) {
        this.store = store;
        this.servers = servers;
        this.rebalanceInterval = rebalanceInterval;
    }

    // ------------------------------------------------------------------ activation

    /** This coordinator became active: load every bucket, elect where leaders are gone, tell every server. */
    void activate(int epoch) {
        submit(() -> {
            coordinatorEpoch = epoch;
            buckets.clear();
            shuttingDown.clear();
            loadAllBuckets();
            live = liveServers();
            for (Map.Entry<TableBucket, BucketState> entry : buckets.entrySet()) {
                BucketState state = entry.getValue();
                LeaderElection.electOffline(state.replicas, state.leadership, live.keySet(), state.unclean, epoch)
                        .ifPresent(next -> write(entry.getKey(), state, next));
            }
            Map<Integer, List<TableBucket>> all = new TreeMap<>();
            buckets.forEach((bucket, state) -> state.replicas.forEach(r -> all.computeIfAbsent(r, s -> new ArrayList<>())
                    .add(bucket)));
            all.forEach(this::announce);
            moving.clear();
            for (TableBucket bucket : buckets.keySet()) {
                store.leadership().reassignmentTarget(bucket).ifPresent(target -> moving.put(bucket, target));
            }
            List.copyOf(moving.keySet()).forEach(this::continueMove);
            if (rebalanceInterval != null && rebalance == null) {
                long ms = rebalanceInterval.toMillis();
                rebalance = events.scheduleWithFixedDelay(this::rebalanceLeaders, ms, ms, TimeUnit.MILLISECONDS);
            }
            if (serverWatch == null) {
                serverWatch = store.servers().watch(() -> submit(() -> {
                    serversChanged();
                    return null;
                }));
            }
            LOG.info("Replication controller of epoch {} took over {} buckets on servers {}", epoch, buckets.size(),
                    live.keySet());
            return null;
        });
    }

    void deactivate() {
        submit(() -> {
            coordinatorEpoch = -1;
            buckets.clear();
            moving.clear();
            if (rebalance != null) {
                rebalance.cancel(false);
                rebalance = null;
            }
            closeWatch();
            return null;
        });
    }

    // ------------------------------------------------------------------ leader balance

    /** Moves leaderships back to preferred replicas where those are ready; completes with how many moved. */
    CompletableFuture<Integer> electPreferredLeaders() {
        return submit(() -> {
            requireActive();
            return electPreferred();
        });
    }

    private void rebalanceLeaders() {
        if (coordinatorEpoch < 0) {
            return;
        }
        try {
            int moved = electPreferred();
            if (moved > 0) {
                LOG.info("Moved {} leaderships back to their preferred replicas", moved);
            }
        } catch (RuntimeException e) {
            LOG.warn("Leader rebalance failed this round", e);
        }
    }

    private int electPreferred() {
        Map<Integer, List<TableBucket>> changed = new TreeMap<>();
        int moved = 0;
        for (Map.Entry<TableBucket, BucketState> entry : buckets.entrySet()) {
            BucketState state = entry.getValue();
            if (moving.containsKey(entry.getKey())) {
                continue; // a move picks its own leader when it ends
            }
            Optional<LeaderAndIsr> next = LeaderElection.preferred(state.replicas, state.leadership, live.keySet(),
                    shuttingDown, coordinatorEpoch);
            if (next.isPresent() && write(entry.getKey(), state, next.get())) {
                moved++;
                tellLiveReplicas(entry.getKey(), state, changed);
            }
        }
        changed.forEach(this::announce);
        return moved;
    }

    // ------------------------------------------------------------------ replica moves

    /**
     * Starts moving a bucket's replicas to {@code target}: the target replicas join (the leader
     * epoch moves so that every replica hears of the new set), catch up and enter the ISR; then a
     * target replica leads and the others are dropped and deleted. Completes once under way.
     */
    CompletableFuture<Void> reassign(TableBucket bucket, String what, List<Integer> target) {
        return submit(() -> {
            requireActive();
            startMove(bucket, what, target);
            return null;
        });
    }

    /**
     * Moves every replica off a server, each to the live member holding fewest replicas, and makes
     * it no member any more so that no new bucket lands on it. Completes with how many buckets move.
     */
    CompletableFuture<Integer> drain(int server) {
        return submit(() -> {
            requireActive();
            Map<Integer, Long> load = new TreeMap<>();
            for (int member : store.servers().known().keySet()) {
                if (member != server && live.containsKey(member) && !shuttingDown.contains(member)) {
                    load.put(member, 0L);
                }
            }
            buckets.values().forEach(state -> state.replicas.forEach(r -> load.computeIfPresent(r, (k, n) -> n + 1)));
            Map<TableBucket, List<Integer>> targets = new TreeMap<>(BUCKET_ORDER);
            for (Map.Entry<TableBucket, BucketState> entry : buckets.entrySet()) {
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
            targets.forEach((bucket, target) -> startMove(bucket, bucket.toString(), target));
            LOG.info("Draining tablet server {}: {} buckets move off it", server, targets.size());
            return targets.size();
        });
    }

    private void startMove(TableBucket bucket, String what, List<Integer> target) {
        BucketState state = buckets.get(bucket);
        if (state == null) {
            throw new InvalidRequestException(what + " is unknown to the coordinator");
        }
        if (target.isEmpty() || target.stream().distinct().count() != target.size()) {
            throw new InvalidRequestException(what + ": replicas " + target + " must name one or more distinct servers");
        }
        List<Integer> notLive = target.stream().filter(r -> !live.containsKey(r) || shuttingDown.contains(r))
                .collect(Collectors.toList());
        if (!notLive.isEmpty()) {
            throw new InvalidRequestException(what + ": servers " + notLive + " are not live tablet servers; live: "
                    + live.keySet());
        }
        if (target.equals(state.replicas) && !moving.containsKey(bucket)) {
            return;
        }
        store.leadership().setReassignmentTarget(bucket, target, coordinatorEpoch);
        moving.put(bucket, List.copyOf(target));
        List<Integer> all = new ArrayList<>(target);
        state.replicas.stream().filter(r -> !all.contains(r)).forEach(all::add);
        store.leadership().setReplicas(bucket, all, coordinatorEpoch);
        state.replicas = List.copyOf(all);
        LeaderAndIsr current = state.leadership;
        if (current.leader() >= 0) {
            write(bucket, state, new LeaderAndIsr(current.leader(), current.leaderEpoch() + 1, current.isr(),
                    coordinatorEpoch));
        }
        LOG.info("{}: moving replicas {} to {}", what, current.isr(), target);
        Map<Integer, List<TableBucket>> changed = new TreeMap<>();
        tellLiveReplicas(bucket, state, changed);
        changed.forEach(this::announce);
        continueMove(bucket);
    }

    /** Ends a bucket's move once every target replica is in sync; nothing yet otherwise. */
    private void continueMove(TableBucket bucket) {
        List<Integer> target = moving.get(bucket);
        BucketState state = buckets.get(bucket);
        if (target == null || state == null) {
            return;
        }
        Optional<LeaderAndIsr> next = LeaderElection.completeMove(target, state.leadership, live.keySet(),
                coordinatorEpoch);
        if (next.isEmpty()) {
            return;
        }
        List<Integer> dropped = state.replicas.stream().filter(r -> !target.contains(r)).collect(Collectors.toList());
        store.leadership().setReplicas(bucket, target, coordinatorEpoch);
        state.replicas = target;
        if (!write(bucket, state, next.get())) {
            return; // reloaded: the next ISR change tries again
        }
        store.leadership().setReassignmentTarget(bucket, null, coordinatorEpoch);
        moving.remove(bucket);
        Map<Integer, List<TableBucket>> changed = new TreeMap<>();
        tellLiveReplicas(bucket, state, changed);
        changed.forEach(this::announce);
        Map<Integer, List<TableBucket>> deleted = new TreeMap<>();
        dropped.forEach(server -> deleted.put(server, List.of(bucket)));
        servers.deleteReplicas(deleted, coordinatorEpoch);
        LOG.info("{}: moved to replicas {}, led by {}; dropped {}", bucket, target, next.get().leader(), dropped);
    }

    private void tellLiveReplicas(TableBucket bucket, BucketState state, Map<Integer, List<TableBucket>> changed) {
        state.replicas.stream().filter(live::containsKey)
                .forEach(r -> changed.computeIfAbsent(r, s -> new ArrayList<>()).add(bucket));
    }

    private void loadAllBuckets() {
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

    private void load(TableRegistration table, long partitionId) {
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

    // ------------------------------------------------------------------ DDL

    /** New buckets (a table or a partition) have their first leaders in ZooKeeper: announce them. */
    CompletableFuture<Void> bucketsCreated(long tableId, long partitionId) {
        return submit(() -> {
            if (coordinatorEpoch < 0) {
                return null;
            }
            load(store.requireTable(tableId), partitionId);
            Map<Integer, List<TableBucket>> byServer = new TreeMap<>();
            buckets.forEach((bucket, state) -> {
                if (bucket.tableId() == tableId && bucket.partitionId() == partitionId) {
                    state.replicas.forEach(r -> byServer.computeIfAbsent(r, s -> new ArrayList<>()).add(bucket));
                }
            });
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            byServer.forEach((server, list) -> sends.add(announce(server, list)));
            return CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0]));
        }).thenCompose(sends -> sends == null ? CompletableFuture.completedFuture(null) : sends);
    }

    /** Buckets of a dropped table (any partition) or of one dropped partition are forgotten. */
    void bucketsDropped(long tableId, long partitionId, boolean wholeTable) {
        submit(() -> {
            buckets.keySet().removeIf(b -> b.tableId() == tableId && (wholeTable || b.partitionId() == partitionId));
            moving.keySet().removeIf(b -> b.tableId() == tableId && (wholeTable || b.partitionId() == partitionId));
            return null;
        });
    }

    // ------------------------------------------------------------------ server liveness

    private void serversChanged() {
        if (coordinatorEpoch < 0) {
            return;
        }
        Map<Integer, Long> now = liveServers();
        Map<Integer, Long> before = live;
        live = now;
        for (Map.Entry<Integer, Long> server : before.entrySet()) {
            Long registered = now.get(server.getKey());
            if (registered == null || !registered.equals(server.getValue())) {
                serverLeft(server.getKey());
            }
        }
        for (Map.Entry<Integer, Long> server : now.entrySet()) {
            Long registered = before.get(server.getKey());
            if (registered == null || !registered.equals(server.getValue())) {
                serverJoined(server.getKey());
            }
        }
    }

    private Map<Integer, Long> liveServers() {
        Map<Integer, Long> servers = new TreeMap<>();
        for (TabletServerRegistration server : store.servers().live().values()) {
            servers.put(server.id(), server.registeredAt());
        }
        return servers;
    }

    private void serverLeft(int server) {
        LOG.info("Tablet server {} is gone; moving its leaderships and dropping it from ISRs", server);
        shuttingDown.remove(server);
        Set<Integer> alive = live.keySet();
        Map<Integer, List<TableBucket>> changed = new TreeMap<>();
        buckets.forEach((bucket, state) -> {
            if (!state.replicas.contains(server)) {
                return;
            }
            LeaderElection.afterLeaving(state.replicas, state.leadership, server, alive, state.unclean, coordinatorEpoch)
                    .ifPresent(next -> {
                        if (write(bucket, state, next)) {
                            state.replicas.stream().filter(alive::contains)
                                    .forEach(r -> changed.computeIfAbsent(r, s -> new ArrayList<>()).add(bucket));
                        }
                    });
        });
        changed.forEach(this::announce);
    }

    private void serverJoined(int server) {
        LOG.info("Tablet server {} joined; telling it about its buckets", server);
        Set<Integer> alive = live.keySet();
        Map<Integer, List<TableBucket>> toAnnounce = new TreeMap<>();
        buckets.forEach((bucket, state) -> {
            if (!state.replicas.contains(server)) {
                return;
            }
            toAnnounce.computeIfAbsent(server, s -> new ArrayList<>()).add(bucket);
            if (state.leadership.leader() < 0) {
                LeaderElection.electOffline(state.replicas, state.leadership, alive, state.unclean, coordinatorEpoch)
                        .ifPresent(next -> {
                            if (write(bucket, state, next)) {
                                state.replicas.stream().filter(r -> alive.contains(r) && r != server)
                                        .forEach(r -> toAnnounce.computeIfAbsent(r, s -> new ArrayList<>()).add(bucket));
                            }
                        });
            }
        });
        toAnnounce.forEach(this::announce);
    }

    // ------------------------------------------------------------------ requests from tablet servers

    /** A leader proposes a new ISR for a bucket, at the leader epoch and bucket version it knows. */
    CompletableFuture<BucketLeaderAndIsr> adjustIsr(int serverId, TableBucket bucket, int leaderEpoch, List<Integer> newIsr,
            int bucketVersion) {
        return submit(() -> {
            requireActive();
            BucketState state = buckets.get(bucket);
            if (state == null) {
                throw new InvalidRequestException(bucket + " is unknown to the coordinator");
            }
            LeaderAndIsr current = state.leadership;
            if (current.leader() == serverId && current.leaderEpoch() == leaderEpoch && state.version != bucketVersion) {
                // The leader missed an announcement of this epoch: it gets the current state back to adopt.
                throw new StaleIsrVersionException(bucket + ": server " + serverId + " proposed an ISR at version "
                        + bucketVersion + ", but the bucket is at version " + state.version, toMessage(bucket, state));
            }
            if (current.leader() != serverId || current.leaderEpoch() != leaderEpoch) {
                throw new FencedLeaderEpochException(bucket + ": server " + serverId + " proposed an ISR at epoch "
                        + leaderEpoch + " version " + bucketVersion + ", but server " + current.leader() + " leads at epoch "
                        + current.leaderEpoch() + " version " + state.version);
            }
            if (!newIsr.contains(serverId) || !state.replicas.containsAll(newIsr)) {
                throw new InvalidRequestException(bucket + ": ISR " + newIsr + " must hold its leader " + serverId
                        + " and only replicas " + state.replicas);
            }
            for (int member : newIsr) {
                if (!current.isr().contains(member) && (!live.containsKey(member) || shuttingDown.contains(member))) {
                    throw new InvalidRequestException(bucket + ": server " + member + " cannot join the ISR: it is"
                            + (live.containsKey(member) ? " shutting down" : " not alive"));
                }
            }
            LeaderAndIsr next = new LeaderAndIsr(current.leader(), current.leaderEpoch(), List.copyOf(newIsr),
                    coordinatorEpoch);
            if (!write(bucket, state, next)) {
                throw new FencedLeaderEpochException(bucket + " changed while its ISR was being updated");
            }
            BucketLeaderAndIsr committed = toMessage(bucket, state);
            continueMove(bucket);
            return committed;
        });
    }

    /**
     * A server is about to stop: move every leadership it holds to another live in-sync replica and
     * drop it from the ISRs it is in. Completes with the buckets it still leads that could have
     * moved (0 when it may stop); buckets with no other in-sync replica stay where they are.
     */
    CompletableFuture<Integer> controlledShutdown(int serverId) {
        return submit(() -> {
            requireActive();
            shuttingDown.add(serverId);
            Set<Integer> alive = new HashSet<>(live.keySet());
            alive.remove(serverId);
            Map<Integer, List<TableBucket>> changed = new TreeMap<>();
            int remaining = 0;
            for (Map.Entry<TableBucket, BucketState> entry : buckets.entrySet()) {
                BucketState state = entry.getValue();
                LeaderAndIsr current = state.leadership;
                if (!state.replicas.contains(serverId) || !current.isr().contains(serverId)) {
                    continue;
                }
                boolean canMove = LeaderElection.choose(state.replicas, current.isr(), alive, serverId, false).isPresent();
                if (current.leader() == serverId && !canMove) {
                    continue; // nowhere to go: it stays offline-free until the server stops
                }
                Optional<LeaderAndIsr> next = LeaderElection.afterLeaving(state.replicas, current, serverId, alive, false,
                        coordinatorEpoch);
                if (next.isPresent() && write(entry.getKey(), state, next.get())) {
                    state.replicas.stream().filter(live::containsKey)
                            .forEach(r -> changed.computeIfAbsent(r, s -> new ArrayList<>()).add(entry.getKey()));
                } else if (current.leader() == serverId) {
                    remaining++;
                }
            }
            changed.forEach(this::announce);
            return remaining;
        });
    }

    // ------------------------------------------------------------------ helpers

    /** Writes a bucket's next leadership to ZooKeeper if nobody changed it meanwhile; re-reads on conflict. */
    private boolean write(TableBucket bucket, BucketState state, LeaderAndIsr next) {
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

    private CompletableFuture<Void> announce(int server, Collection<TableBucket> changed) {
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

    private static BucketLeaderAndIsr toMessage(TableBucket bucket, BucketState state) {
        return BucketLeaderAndIsr.newBuilder()
                .setBucket(BucketRefs.of(bucket))
                .setLeader(state.leadership.leader())
                .setLeaderEpoch(state.leadership.leaderEpoch())
                .addAllIsr(state.leadership.isr())
                .addAllReplicas(state.replicas)
                .setBucketVersion(state.version)
                .build();
    }

    private void requireActive() {
        if (coordinatorEpoch < 0) {
            throw new NotCoordinatorException("This coordinator is not active");
        }
    }

    private <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            events.execute(() -> {
                try {
                    result.complete(task.call());
                } catch (Throwable e) {
                    if (!(e instanceof ApiException)) {
                        LOG.error("Replication event failed", e);
                    }
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new NotCoordinatorException("The coordinator is stopping"));
        }
        return result;
    }

    private void closeWatch() {
        if (serverWatch != null) {
            try {
                serverWatch.close();
            } catch (Exception e) {
                LOG.debug("Closing the server watch failed", e);
            }
            serverWatch = null;
        }
    }

    @Override
    public void close() {
        submit(() -> {
            closeWatch();
            return null;
        });
        events.shutdown();
    }
}
