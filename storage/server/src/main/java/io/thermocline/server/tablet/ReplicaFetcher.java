package io.thermocline.server.tablet;

import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.OffsetOutOfRangeException;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.client.RpcClient;
import io.thermocline.rpc.client.ServerConnection;
import io.thermocline.rpc.messages.EpochEndResult;
import io.thermocline.rpc.messages.EpochQuery;
import io.thermocline.rpc.messages.FetchBucket;
import io.thermocline.rpc.messages.FetchBucketResult;
import io.thermocline.rpc.messages.FetchRequest;
import io.thermocline.rpc.messages.FetchResponse;
import io.thermocline.rpc.messages.FetchTable;
import io.thermocline.rpc.messages.FetchTableResult;
import io.thermocline.rpc.messages.OffsetForLeaderEpochRequest;
import io.thermocline.rpc.messages.OffsetForLeaderEpochResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.BucketRefs;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.server.log.BucketLog;
import io.thermocline.server.log.LeaderEpochCache;
import io.thermocline.server.zk.ZkRecords.TabletServerRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Copies the buckets this server follows on one leader server. A newly followed bucket first asks
 * the leader where its own latest epoch ends and truncates its log there (a divergent tail that
 * the old leader wrote but never committed goes), then fetches from its log end with long polls:
 * the leader answers as soon as it appends. Each fetch offset tells the leader what this replica
 * holds. One thread, one connection.
 */
final class ReplicaFetcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcher.class);
    /** Short: a bucket added while a fetch is parked waits for it to return. */
    private static final int MAX_WAIT_MS = 100;
    private static final int MAX_BYTES = 16 << 20;
    private static final long BACKOFF_MS = 100;

    private final int serverId;
    private final int leaderId;
    private final RpcClient rpc;
    private final ZooKeeperMetadataStore store;
    private final Thread thread;
    private final Map<TableBucket, State> buckets = new LinkedHashMap<>();
    private volatile ServerConnection connection;
    private volatile boolean running = true;

    private static final class State {
        final Replica replica;
        final int leaderEpoch;
        boolean truncated;

        State(Replica replica, int leaderEpoch) {
            this.replica = replica;
            this.leaderEpoch = leaderEpoch;
        }
    }

    ReplicaFetcher(int serverId, int leaderId, RpcClient rpc, ZooKeeperMetadataStore store) {
        this.serverId = serverId;
        this.leaderId = leaderId;
        this.rpc = rpc;
        this.store = store;
        this.thread = new Thread(this::run, "replica-fetcher-" + serverId + "-from-" + leaderId);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    synchronized void add(Replica replica, int leaderEpoch) {
        buckets.put(replica.bucket(), new State(replica, leaderEpoch));
        notifyAll();
    }

    synchronized void remove(TableBucket bucket) {
        buckets.remove(bucket);
    }

    private synchronized Map<TableBucket, State> snapshot() throws InterruptedException {
        while (running && buckets.isEmpty()) {
            wait();
        }
        return new LinkedHashMap<>(buckets);
    }

    /** Still following this bucket with this state (not removed or replaced meanwhile)? */
    private synchronized boolean current(TableBucket bucket, State state) {
        return buckets.get(bucket) == state;
    }

    private void run() {
        while (running) {
            try {
                Map<TableBucket, State> work = snapshot();
                if (!running) {
                    return;
                }
                ServerConnection leader = connection();
                if (leader == null) {
                    Thread.sleep(BACKOFF_MS);
                    continue;
                }
                Map<TableBucket, State> toTruncate = new LinkedHashMap<>();
                work.forEach((bucket, state) -> {
                    if (!state.truncated) {
                        toTruncate.put(bucket, state);
                    }
                });
                if (!toTruncate.isEmpty()) {
                    truncate(leader, toTruncate);
                }
                Map<TableBucket, State> toFetch = new LinkedHashMap<>();
                work.forEach((bucket, state) -> {
                    if (state.truncated) {
                        toFetch.put(bucket, state);
                    }
                });
                if (toFetch.isEmpty()) {
                    Thread.sleep(BACKOFF_MS);
                    continue;
                }
                fetch(leader, toFetch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Fetching from leader {} failed; retrying: {}", leaderId, e.toString());
                    dropConnection();
                    sleepQuietly();
                }
            }
        }
    }

    private void truncate(ServerConnection leader, Map<TableBucket, State> toTruncate) throws InterruptedException {
        OffsetForLeaderEpochRequest.Builder request = OffsetForLeaderEpochRequest.newBuilder().setFollowerId(serverId);
        toTruncate.forEach((bucket, state) -> request.addBuckets(EpochQuery.newBuilder()
                .setBucket(BucketRefs.of(bucket))
                .setCurrentLeaderEpoch(state.leaderEpoch)
                .setLeaderEpoch(state.replica.log().latestEpoch())));
        OffsetForLeaderEpochResponse response = await(leader.send(ApiKeys.OFFSET_FOR_LEADER_EPOCH, request.build(),
                OffsetForLeaderEpochResponse.parser()));
        boolean retryLater = false;
        for (EpochEndResult result : response.getBucketsList()) {
            TableBucket bucket = BucketRefs.toTableBucket(result.getBucket());
            State state = toTruncate.get(bucket);
            if (state == null || !current(bucket, state)) {
                continue;
            }
            if (result.getErrorCode() != Errors.NONE.code()) {
                // Most likely the leader has not heard of its leadership yet: ask again shortly.
                LOG.debug("{}: leader {} cannot tell epoch ends yet: {}", bucket, leaderId, result.getErrorMessage());
                retryLater = true;
                continue;
            }
            Replica replica = state.replica;
            long truncateTo = truncationOffset(replica.log(),
                    new LeaderEpochCache.EpochEnd(result.getLeaderEpoch(), result.getEndOffset()));
            long before = replica.log().logEndOffset();
            if (truncateTo < before) {
                replica.truncateTo(truncateTo);
                LOG.info("{}: truncated from {} to {} to match leader {} (epoch {} ends at {})", bucket, before,
                        replica.log().logEndOffset(), leaderId, result.getLeaderEpoch(), result.getEndOffset());
            }
            state.truncated = true;
        }
        if (retryLater) {
            Thread.sleep(BACKOFF_MS);
        }
    }

    /**
     * Where a follower's log must be cut given the leader's answer for the follower's latest epoch
     * (KIP-279): at the end of that epoch in both logs, whichever is earlier; everything when the
     * leader knows no such epoch.
     */
    static long truncationOffset(BucketLog followerLog, LeaderEpochCache.EpochEnd leaderAnswer) {
        if (leaderAnswer.epoch() < 0) {
            return followerLog.logStartOffset();
        }
        LeaderEpochCache.EpochEnd own = followerLog.endOfEpoch(leaderAnswer.epoch());
        return Math.min(leaderAnswer.endOffset(), own.epoch() < 0 ? followerLog.logStartOffset() : own.endOffset());
    }

    private void fetch(ServerConnection leader, Map<TableBucket, State> toFetch) throws InterruptedException {
        Map<Long, FetchTable.Builder> tables = new LinkedHashMap<>();
        Map<TableBucket, Long> offsets = new HashMap<>();
        toFetch.forEach((bucket, state) -> {
            long offset = state.replica.log().logEndOffset();
            offsets.put(bucket, offset);
            FetchBucket.Builder fetchBucket = FetchBucket.newBuilder().setBucket(bucket.bucket()).setFetchOffset(offset)
                    .setCurrentLeaderEpoch(state.leaderEpoch);
            if (bucket.isPartitioned()) {
                fetchBucket.setPartitionId(bucket.partitionId());
            }
            tables.computeIfAbsent(bucket.tableId(), id -> FetchTable.newBuilder().setTableId(id)).addBuckets(fetchBucket);
        });
        FetchRequest.Builder request = FetchRequest.newBuilder().setFollowerId(serverId).setMaxWaitMs(MAX_WAIT_MS)
                .setMinBytes(1).setMaxBytes(MAX_BYTES);
        tables.values().forEach(request::addTables);
        ServerConnection.WithTrailingBytes<FetchResponse> response =
                await(leader.sendWithTrailingBytes(ApiKeys.FETCH, request.build(), FetchResponse.parser()));
        ByteBuffer trailing = response.trailing();
        boolean backoff = false;
        for (FetchTableResult table : response.message().getTablesList()) {
            for (FetchBucketResult result : table.getBucketsList()) {
                ByteBuffer batches = trailing.slice().limit(result.getRecordsSize());
                trailing.position(trailing.position() + result.getRecordsSize());
                TableBucket bucket = new TableBucket(table.getTableId(),
                        result.hasPartitionId() ? result.getPartitionId() : TableBucket.NO_PARTITION, result.getBucket());
                State state = toFetch.get(bucket);
                if (state == null || !current(bucket, state)) {
                    continue;
                }
                backoff |= !apply(bucket, state, offsets.get(bucket), result, batches);
            }
        }
        if (backoff) {
            Thread.sleep(BACKOFF_MS);
        }
    }

    /** Applies one bucket's fetch result; false when the bucket should wait before the next try. */
    private boolean apply(TableBucket bucket, State state, long fetchOffset, FetchBucketResult result, ByteBuffer batches) {
        Replica replica = state.replica;
        if (result.getErrorCode() != Errors.NONE.code()) {
            ApiException error = Errors.forCode((short) result.getErrorCode()).exception(result.getErrorMessage());
            if (error instanceof OffsetOutOfRangeException && fetchOffset < result.getLogStartOffset()) {
                // The leader deleted what we would fetch next (retention): start over at its log start.
                replica.truncateFullyAndStartAt(result.getLogStartOffset());
                LOG.info("{}: behind leader {}'s log start {}; restarting there", bucket, leaderId,
                        result.getLogStartOffset());
                return true;
            }
            if (error instanceof OffsetOutOfRangeException) {
                state.truncated = false; // ahead of the leader: find the divergence again
                return true;
            }
            // Not leader, fenced or unknown epoch: the coordinator's next announcement settles it.
            LOG.debug("{}: fetch from leader {} failed: {}", bucket, leaderId, error.getMessage());
            return false;
        }
        if (replica.log().logEndOffset() != fetchOffset) {
            return true; // truncated meanwhile; the next round fetches from the new end
        }
        replica.appendAsFollower(MemoryLogRecords.readableRecords(copy(batches)), result.getHighWatermark());
        return true;
    }

    /** The appended bytes become the log's: they must not share the response buffer. */
    private static ByteBuffer copy(ByteBuffer source) {
        ByteBuffer copy = ByteBuffer.allocate(source.remaining());
        copy.put(source.duplicate());
        return copy.flip();
    }

    private ServerConnection connection() throws InterruptedException {
        if (connection != null && connection.isActive()) {
            return connection;
        }
        TabletServerRegistration leader = store.servers().live().get(leaderId);
        if (leader == null) {
            return null;
        }
        try {
            connection = rpc.connect(new InetSocketAddress(leader.host(), leader.port())).get(10, TimeUnit.SECONDS);
            return connection;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("Cannot connect to leader {}: {}", leaderId, e.toString());
            return null;
        }
    }

    private void dropConnection() {
        ServerConnection current = connection;
        connection = null;
        if (current != null) {
            current.close();
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(MAX_WAIT_MS + 30_000L, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("No answer from leader within " + (MAX_WAIT_MS + 30_000L) + " ms");
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(BACKOFF_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * Stops the thread without interrupting it: an interrupt during a log write would close the
     * log's file channel for every user. Closing the connection ends a fetch in flight instead.
     */
    @Override
    public void close() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
        dropConnection();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
