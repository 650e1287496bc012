package io.thermocline.server.coordinator;

import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.FencedLeaderEpochException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.NotCoordinatorException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.messages.BucketLeaderAndIsr;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
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

/**
 * Who leads every bucket, decided by the active coordinator alone on one event thread: elections
 * when a leader's server dies or shuts down, ISR changes that leaders propose, leaders for buckets
 * whose in-sync replicas come back, and announcements of all of it to the replicas. ZooKeeper
 * holds each decision (compare-and-set on the bucket's leader record) before any replica hears of
 * it; {@link BucketLeaderships} keeps a copy of every bucket's state to decide fast. Leaderships go
 * back to preferred replicas here too, and replicas move in {@link ReplicaMoves}, on the same thread.
 */
final class ReplicationController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationController.class);

    private final ZooKeeperMetadataStore store;
    private final ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coordinator-events");
        t.setDaemon(true);
        return t;
    });
    /** How often leaderships go back to preferred replicas by themselves; null: never. */
    private final Duration rebalanceInterval;

    // Guarded by the event thread.
    private final BucketLeaderships view;
    private final ReplicaMoves moves;
    private AutoCloseable serverWatch;
    private ScheduledFuture<?> rebalance;

    ReplicationController(ZooKeeperMetadataStore store, TabletServerGateway servers, Duration rebalanceInterval) {
        this.store = store;
        this.rebalanceInterval = rebalanceInterval;
        this.view = new BucketLeaderships(store, servers);
        this.moves = new ReplicaMoves(store, servers, view);
    }

    // ------------------------------------------------------------------ activation

    /** This coordinator became active: load every bucket, elect where leaders are gone, tell every server. */
    void activate(int epoch) {
        submit(() -> {
            view.coordinatorEpoch = epoch;
            view.buckets.clear();
            view.shuttingDown.clear();
            view.loadAll();
            view.live = view.liveServers();
            for (Map.Entry<TableBucket, BucketLeaderships.BucketState> entry : view.buckets.entrySet()) {
                BucketLeaderships.BucketState state = entry.getValue();
                LeaderElection.electOffline(state.replicas, state.leadership, view.live.keySet(), state.unclean, epoch)
                        .ifPresent(next -> view.write(entry.getKey(), state, next));
            }
            Map<Integer, List<TableBucket>> all = new TreeMap<>();
            view.buckets.forEach((bucket, state) -> state.replicas.forEach(r -> all.computeIfAbsent(r, s -> new ArrayList<>())
                    .add(bucket)));
            all.forEach(view::announce);
            moves.resume();
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
            LOG.info("Replication controller of epoch {} took over {} buckets on servers {}", epoch, view.buckets.size(),
                    view.live.keySet());
            return null;
        });
    }

    void deactivate() {
        submit(() -> {
            view.coordinatorEpoch = -1;
            view.buckets.clear();
            moves.forget(bucket -> true);
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
            view.requireActive();
            return electPreferred();
        });
    }

    private void rebalanceLeaders() {
        if (view.coordinatorEpoch < 0) {
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
        for (Map.Entry<TableBucket, BucketLeaderships.BucketState> entry : view.buckets.entrySet()) {
            BucketLeaderships.BucketState state = entry.getValue();
            if (moves.isMoving(entry.getKey())) {
                continue; // a move picks its own leader when it ends
            }
            Optional<LeaderAndIsr> next = LeaderElection.preferred(state.replicas, state.leadership, view.live.keySet(),
                    view.shuttingDown, view.coordinatorEpoch);
            if (next.isPresent() && view.write(entry.getKey(), state, next.get())) {
                moved++;
                view.tellLiveReplicas(entry.getKey(), state, changed);
            }
        }
        changed.forEach(view::announce);
        return moved;
    }

    // ------------------------------------------------------------------ replica moves

    /** Starts moving a bucket's replicas to {@code target} (see {@link ReplicaMoves}); completes once under way. */
    CompletableFuture<Void> reassign(TableBucket bucket, String what, List<Integer> target) {
        return submit(() -> {
            view.requireActive();
            moves.start(bucket, what, target);
            return null;
        });
    }

    /**
     * Moves every replica off a server, each to the live member holding fewest replicas, and makes
     * it no member any more so that no new bucket lands on it. Completes with how many buckets move.
     */
    CompletableFuture<Integer> drain(int server) {
        return submit(() -> {
            view.requireActive();
            return moves.drain(server);
        });
    }

    // ------------------------------------------------------------------ DDL

    /** New view.buckets (a table or a partition) have their first leaders in ZooKeeper: announce them. */
    CompletableFuture<Void> bucketsCreated(long tableId, long partitionId) {
        return submit(() -> {
            if (view.coordinatorEpoch < 0) {
                return null;
            }
            view.load(store.requireTable(tableId), partitionId);
            Map<Integer, List<TableBucket>> byServer = new TreeMap<>();
            view.buckets.forEach((bucket, state) -> {
                if (bucket.tableId() == tableId && bucket.partitionId() == partitionId) {
                    state.replicas.forEach(r -> byServer.computeIfAbsent(r, s -> new ArrayList<>()).add(bucket));
                }
            });
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            byServer.forEach((server, list) -> sends.add(view.announce(server, list)));
            return CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0]));
        }).thenCompose(sends -> sends == null ? CompletableFuture.completedFuture(null) : sends);
    }

    /** Buckets of a dropped table (any partition) or of one dropped partition are forgotten. */
    void bucketsDropped(long tableId, long partitionId, boolean wholeTable) {
        submit(() -> {
            view.buckets.keySet().removeIf(b -> b.tableId() == tableId && (wholeTable || b.partitionId() == partitionId));
            moves.forget(b -> b.tableId() == tableId && (wholeTable || b.partitionId() == partitionId));
            return null;
        });
    }

    // ------------------------------------------------------------------ server liveness

    private void serversChanged() {
        if (view.coordinatorEpoch < 0) {
            return;
        }
        Map<Integer, Long> now = view.liveServers();
        Map<Integer, Long> before = view.live;
        view.live = now;
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

    private void serverLeft(int server) {
        LOG.info("Tablet server {} is gone; moving its leaderships and dropping it from ISRs", server);
        view.shuttingDown.remove(server);
        Set<Integer> alive = view.live.keySet();
        Map<Integer, List<TableBucket>> changed = new TreeMap<>();
        view.buckets.forEach((bucket, state) -> {
            if (!state.replicas.contains(server)) {
                return;
            }
            LeaderElection.afterLeaving(state.replicas, state.leadership, server, alive, state.unclean, view.coordinatorEpoch)
                    .ifPresent(next -> {
                        if (view.write(bucket, state, next)) {
                            state.replicas.stream().filter(alive::contains)
                                    .forEach(r -> changed.computeIfAbsent(r, s -> new ArrayList<>()).add(bucket));
                        }
                    });
        });
        changed.forEach(view::announce);
    }

    private void serverJoined(int server) {
        LOG.info("Tablet server {} joined; telling it about its buckets", server);
        Set<Integer> alive = view.live.keySet();
        Map<Integer, List<TableBucket>> toAnnounce = new TreeMap<>();
        view.buckets.forEach((bucket, state) -> {
            if (!state.replicas.contains(server)) {
                return;
            }
            toAnnounce.computeIfAbsent(server, s -> new ArrayList<>()).add(bucket);
            if (state.leadership.leader() < 0) {
                LeaderElection.electOffline(state.replicas, state.leadership, alive, state.unclean, view.coordinatorEpoch)
                        .ifPresent(next -> {
                            if (view.write(bucket, state, next)) {
                                state.replicas.stream().filter(r -> alive.contains(r) && r != server)
                                        .forEach(r -> toAnnounce.computeIfAbsent(r, s -> new ArrayList<>()).add(bucket));
                            }
                        });
            }
        });
        toAnnounce.forEach(view::announce);
    }

    // ------------------------------------------------------------------ requests from tablet servers

    /** A leader proposes a new ISR for a bucket, at the leader epoch and bucket version it knows. */
    CompletableFuture<BucketLeaderAndIsr> adjustIsr(int serverId, TableBucket bucket, int leaderEpoch, List<Integer> newIsr,
            int bucketVersion) {
        return submit(() -> {
            view.requireActive();
            BucketLeaderships.BucketState state = view.buckets.get(bucket);
            if (state == null) {
                throw new InvalidRequestException(bucket + " is unknown to the coordinator");
            }
            LeaderAndIsr current = state.leadership;
            if (current.leader() == serverId && current.leaderEpoch() == leaderEpoch && state.version != bucketVersion) {
                // The leader missed an announcement of this epoch: it gets the current state back to adopt.
                throw new StaleIsrVersionException(bucket + ": server " + serverId + " proposed an ISR at version "
                        + bucketVersion + ", but the bucket is at version " + state.version, BucketLeaderships.toMessage(bucket, state));
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
                if (!current.isr().contains(member) && (!view.live.containsKey(member) || view.shuttingDown.contains(member))) {
                    throw new InvalidRequestException(bucket + ": server " + member + " cannot join the ISR: it is"
                            + (view.live.containsKey(member) ? " shutting down" : " not alive"));
                }
            }
            LeaderAndIsr next = new LeaderAndIsr(current.leader(), current.leaderEpoch(), List.copyOf(newIsr),
                    view.coordinatorEpoch);
            if (!view.write(bucket, state, next)) {
                throw new FencedLeaderEpochException(bucket + " changed while its ISR was being updated");
            }
            BucketLeaderAndIsr committed = BucketLeaderships.toMessage(bucket, state);
            moves.advance(bucket);
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
            view.requireActive();
            view.shuttingDown.add(serverId);
            Set<Integer> alive = new HashSet<>(view.live.keySet());
            alive.remove(serverId);
            Map<Integer, List<TableBucket>> changed = new TreeMap<>();
            int remaining = 0;
            for (Map.Entry<TableBucket, BucketLeaderships.BucketState> entry : view.buckets.entrySet()) {
                BucketLeaderships.BucketState state = entry.getValue();
                LeaderAndIsr current = state.leadership;
                if (!state.replicas.contains(serverId) || !current.isr().contains(serverId)) {
                    continue;
                }
                boolean canMove = LeaderElection.choose(state.replicas, current.isr(), alive, serverId, false).isPresent();
                if (current.leader() == serverId && !canMove) {
                    continue; // nowhere to go: it stays offline-free until the server stops
                }
                Optional<LeaderAndIsr> next = LeaderElection.afterLeaving(state.replicas, current, serverId, alive, false,
                        view.coordinatorEpoch);
                if (next.isPresent() && view.write(entry.getKey(), state, next.get())) {
                    state.replicas.stream().filter(view.live::containsKey)
                            .forEach(r -> changed.computeIfAbsent(r, s -> new ArrayList<>()).add(entry.getKey()));
                } else if (current.leader() == serverId) {
                    remaining++;
                }
            }
            changed.forEach(view::announce);
            return remaining;
        });
    }

    // ------------------------------------------------------------------ helpers

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
