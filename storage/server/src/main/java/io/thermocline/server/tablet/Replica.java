package io.thermocline.server.tablet;

import io.thermocline.common.exception.FencedLeaderEpochException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.LeaderNotAvailableException;
import io.thermocline.common.exception.NotEnoughReplicasException;
import io.thermocline.common.exception.NotLeaderException;
import io.thermocline.common.exception.StorageBusyException;
import io.thermocline.common.exception.UnknownLeaderEpochException;
import io.thermocline.common.internal.record.SchemaProjection;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordBatchFormat;
import io.thermocline.common.internal.record.LogRecords;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.server.log.BucketLog;
import io.thermocline.server.log.FileLogRecords;
import io.thermocline.server.kv.KvBatches;
import io.thermocline.server.kv.KvSnapshots;
import io.thermocline.server.kv.KvTablet;
import io.thermocline.server.log.LogAppendInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * This server's replica of one bucket: the bucket log, the role (leader, follower, or none while
 * the bucket has no leader), and the high watermark: the offset below which every in-sync
 * replica holds the log, and below which readers may read.
 *
 * <p>As leader it tracks each follower's log end (learned from its fetch offsets) and when it was
 * last caught up, advances the high watermark to what every in-sync replica holds, but only while
 * at least {@code minInSyncReplicas} are in sync: a write is never visible, nor acknowledged with
 * acks=all, before that many replicas hold it. It proposes ISR changes (a follower lagging too
 * long leaves, a caught-up one joins) through {@link IsrChanges}; until the coordinator commits a
 * change, the larger of the two sets counts, which is the safe one.
 *
 * <p>Readers waiting for data are woken when the high watermark moves (consumers) or the log end
 * moves (followers): no polling. All state is guarded by this object's monitor.
 */
final class Replica implements AutoCloseable {
    enum Role { LEADER, FOLLOWER, OFFLINE }

    /** The leadership the coordinator announced for a bucket. */
    record Leadership(int leader, int leaderEpoch, List<Integer> isr, List<Integer> replicas, int bucketVersion) {}

    /** Sends ISR change proposals to the coordinator; answers come back through {@link #onIsrCommitted}. */
    interface IsrChanges {
        void propose(Replica replica, int leaderEpoch, Set<Integer> newIsr, int bucketVersion);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);
    /** How soon a leader tries again to open a KV tablet that failed to. */
    private static final long KV_RETRY_MS = 1_000;

    private static final class FollowerState {
        long logEndOffset = -1;
        long lastCaughtUpMs;
        /** The leader's log end and the time at the follower's previous fetch: reaching it later means caught up then. */
        long lastFetchLeaderLogEnd = -1;
        long lastFetchMs;
    }

    private record AckWaiter(long offset, CompletableFuture<Void> future) {}

    /**
     * Futures to complete once the monitor is released: their continuations (parked fetches,
     * produce answers) take other replicas' monitors, and must never run under this one.
     */
    private static final class Signals {
        private final List<CompletableFuture<Void>> done = new ArrayList<>();
        private final List<CompletableFuture<Void>> failed = new ArrayList<>();
        private final List<Runnable> actions = new ArrayList<>();
        private RuntimeException failure;

        void then(Runnable action) {
            actions.add(action);
        }

        void complete(CompletableFuture<Void> future) {
            done.add(future);
        }

        void fail(List<CompletableFuture<Void>> futures, RuntimeException error) {
            failed.addAll(futures);
            failure = error;
        }

        void fire() {
            done.forEach(f -> f.complete(null));
            failed.forEach(f -> f.completeExceptionally(failure));
            actions.forEach(Runnable::run);
        }
    }

    /** What a replica of a primary-key table needs to keep the KV state while it leads. */
    interface KvResources {
        /** The tablet to lead with, never ahead of a log that ends at {@code logEnd}. */
        KvTablet openTablet(long logEnd);

        /** The log was truncated to {@code offset}: the tablet must not be trusted beyond it. */
        void logTruncatedTo(long offset);

        KvBatches openBatches();

        /** Null when the cluster keeps no KV snapshots. */
        KvSnapshots snapshots();
    }

    private final TableBucket bucket;
    private final BucketLog log;
    private final int localId;
    private final int minInSyncReplicas;
    private final IsrChanges isrChanges;
    /** Null for log tables. */
    private final KvResources kvResources;
    /** Open while this replica leads a primary-key table. */
    private KvTablet kv;
    /**
     * The log end when this replica became leader: everything an earlier leader may have
     * committed lies below it, so lookups wait until the high watermark reaches it.
     */
    private long leaderStartOffset;
    private KvBatches kvBatches;
    /** Why the KV tablet of this leader could not be opened, while it cannot; retried. */
    private String kvFailure;
    private long nextKvAttemptMs;

    private Role role = Role.OFFLINE;
    private int leaderId = -1;
    private int leaderEpoch = -1;
    private int bucketVersion = -1;
    private List<Integer> replicas = List.of();
    private Set<Integer> isr = Set.of();
    /**
     * Why this replica must not act as leader although it was told to, or null: its server lost
     * ZooKeeper, so another replica may lead by now. The next announcement clears it.
     */
    private String fencedBecause;
    /** An ISR change sent to the coordinator and not answered yet; null when none is. */
    private Set<Integer> proposedIsr;
    private final Map<Integer, FollowerState> followers = new HashMap<>();
    private final List<AckWaiter> ackWaiters = new ArrayList<>();
    private volatile long highWatermark;
    /** Completed, and replaced, whenever the high watermark moves. */
    private CompletableFuture<Void> highWatermarkMoved = new CompletableFuture<>();
    /** Completed, and replaced, whenever the log end moves. */
    private CompletableFuture<Void> logEndMoved = new CompletableFuture<>();

    Replica(TableBucket bucket, BucketLog log, int localId, int minInSyncReplicas, IsrChanges isrChanges) {
        this(bucket, log, localId, minInSyncReplicas, isrChanges, null);
    }

    Replica(TableBucket bucket, BucketLog log, int localId, int minInSyncReplicas, IsrChanges isrChanges,
            KvResources kvResources) {
        this.bucket = bucket;
        this.log = log;
        this.localId = localId;
        this.minInSyncReplicas = minInSyncReplicas;
        this.isrChanges = isrChanges;
        this.kvResources = kvResources;
        this.highWatermark = log.logStartOffset();
    }

    // ------------------------------------------------------------------ role changes

    /**
     * Applies a leadership from the coordinator. Returns false, changing nothing, when it is older
     * than the one this replica follows.
     */
    boolean applyLeadership(Leadership leadership, long nowMs) {
        Signals signals = new Signals();
        boolean applied;
        synchronized (this) {
            applied = applyLeadership(leadership, nowMs, signals);
        }
        signals.fire();
        return applied;
    }

    private boolean applyLeadership(Leadership leadership, long nowMs, Signals signals) {
        if (leadership.leaderEpoch() < leaderEpoch
                || (leadership.leaderEpoch() == leaderEpoch && leadership.bucketVersion() < bucketVersion)) {
            return false;
        }
        boolean newEpoch = leadership.leaderEpoch() != leaderEpoch;
        fencedBecause = null;
        leaderEpoch = leadership.leaderEpoch();
        leaderId = leadership.leader();
        bucketVersion = leadership.bucketVersion();
        replicas = List.copyOf(leadership.replicas());
        isr = Set.copyOf(leadership.isr());
        proposedIsr = null;
        Role previous = role;
        if (leaderId == localId) {
            role = Role.LEADER;
            if (previous != Role.LEADER || newEpoch) {
                followers.clear();
                for (int replica : replicas) {
                    if (replica != localId) {
                        FollowerState follower = new FollowerState();
                        // In-sync followers get a full lag period to show up before they are dropped.
                        follower.lastCaughtUpMs = nowMs;
                        followers.put(replica, follower);
                    }
                }
            }
            highWatermark = Math.min(highWatermark, log.logEndOffset());
            if (previous != Role.LEADER || newEpoch) {
                leaderStartOffset = log.logEndOffset();
            }
            if (kvResources != null && kv == null) {
                openKv(nowMs);
            }
            maybeAdvanceHighWatermark(signals);
        } else {
            role = leaderId < 0 ? Role.OFFLINE : Role.FOLLOWER;
            followers.clear();
            closeKv();
            failAckWaiters(new NotLeaderException(bucket + " is now led by server " + leaderId + " (epoch " + leaderEpoch
                    + ")"), signals);
        }
        wake(signals);
        return true;
    }

    /**
     * A new leader of a primary-key table: its KV tablet catches up by replaying the changelog from
     * what it applied last (all of it when its directory is gone) to the log end.
     */
    private void openKv(long nowMs) {
        KvTablet tablet = null;
        try {
            tablet = kvResources.openTablet(log.logEndOffset());
            if (tablet.appliedOffset() < log.logStartOffset()) {
                throw new IllegalStateException("the KV state holds offsets below " + tablet.appliedOffset()
                        + " but the log starts at " + log.logStartOffset() + ", and no snapshot covers the gap");
            }
            KvBatches batches = kvResources.openBatches();
            batches.replay(log, tablet, tablet.appliedOffset(), log.logEndOffset());
            kv = tablet;
            kvBatches = batches;
            kvFailure = null;
            kv.flush(highWatermark);
        } catch (RuntimeException e) {
            if (tablet != null && kv == null) {
                tablet.close();
            }
            kvFailure = e.getMessage();
            nextKvAttemptMs = nowMs + KV_RETRY_MS;
            LOG.warn("{}: cannot open the KV tablet as leader; writes and lookups wait, retried in {} ms", bucket,
                    KV_RETRY_MS, e);
        }
    }

    private void closeKv() {
        if (kv != null) {
            kv.close();
            kvBatches.close();
            kv = null;
            kvBatches = null;
        }
    }

    /** The coordinator committed an ISR change this replica proposed, or refused it with the current state. */
    void onIsrCommitted(int epoch, Set<Integer> committedIsr, int version) {
        Signals signals = new Signals();
        synchronized (this) {
            if (epoch != leaderEpoch || version < bucketVersion) {
                return;
            }
            isr = Set.copyOf(committedIsr);
            bucketVersion = version;
            proposedIsr = null;
            maybeAdvanceHighWatermark(signals);
        }
        signals.fire();
    }

    /** A proposal that got no answer may be sent again. */
    synchronized void onIsrProposalFailed() {
        proposedIsr = null;
    }

    // ------------------------------------------------------------------ leader: appends and acks

    /**
     * Appends a writer's batches. With {@code requireMinIsr} (acks=all) refuses when fewer than
     * the minimum replicas are in sync, before writing anything.
     */
    LogAppendInfo appendAsLeader(MemoryLogRecords records, boolean requireMinIsr) {
        Signals signals = new Signals();
        LogAppendInfo info;
        synchronized (this) {
            requireLeader();
            if (requireMinIsr && isr.size() < minInSyncReplicas) {
                throw new NotEnoughReplicasException(bucket + " has " + isr.size() + " in-sync replicas " + isr
                        + ", fewer than the " + minInSyncReplicas + " its table requires; the write was not appended");
            }
            info = log.appendAsLeader(records, leaderEpoch);
            maybeAdvanceHighWatermark(signals);
            signalLogEnd(signals);
        }
        signals.fire();
        return info;
    }

    /**
     * Upserts and deletes of a primary-key table: merged with the current rows into a changelog,
     * which is appended like any batch (stamped with the writer's id and sequence, so a retry is
     * answered with the first append). A batch that changes nothing appends a no-op marker in its
     * place when it has a writer id (so that every replica knows its sequence), else nothing.
     */
    LogAppendInfo putKv(MemoryLogRecords records, int[] targetColumns, boolean requireMinIsr) {
        Signals signals = new Signals();
        LogAppendInfo info;
        synchronized (this) {
            requireLeader();
            requireKv();
            if (requireMinIsr && isr.size() < minInSyncReplicas) {
                throw new NotEnoughReplicasException(bucket + " has " + isr.size() + " in-sync replicas " + isr
                        + ", fewer than the " + minInSyncReplicas + " its table requires; the write was not applied");
            }
            if (kv.isWriteStalled()) {
                throw new StorageBusyException(bucket + ": the KV store is stalling writes while it compacts; retry");
            }
            List<LogRecordBatch> batches = new ArrayList<>();
            records.batches().forEach(batches::add);
            if (batches.size() != 1) {
                throw new InvalidRequestException(bucket + ": an upsert request carries one batch per bucket, not "
                        + batches.size());
            }
            long writerId = batches.get(0).writerId();
            int sequence = batches.get(0).batchSequence();
            Optional<LogAppendInfo> retried = log.retriedAppend(writerId, sequence);
            if (retried.isPresent()) {
                return retried.get();
            }
            KvTablet.Prepared prepared = kv.prepare(kvBatches.writes(records, targetColumns));
            if (!prepared.changelog().isEmpty()) {
                info = log.appendAsLeader(kvBatches.changelogBatch(prepared.changelog(), writerId, sequence), leaderEpoch);
                kv.commit(prepared, info.firstOffset());
            } else if (writerId != LogRecordBatchFormat.NO_WRITER_ID) {
                LogAppendInfo marker = log.appendAsLeader(kvBatches.noOpMarker(writerId, sequence), leaderEpoch);
                info = new LogAppendInfo(marker.firstOffset(), marker.lastOffset(), marker.commitTimestamp(), 0,
                        marker.sizeInBytes()); // it wrote no row
            } else {
                // Acknowledged once everything before it is: a lookup after the ack sees what it saw.
                long end = log.logEndOffset();
                return new LogAppendInfo(end, end - 1, log.lastCommitTimestamp(), 0, 0);
            }
            maybeAdvanceHighWatermark(signals);
            signalLogEnd(signals);
        }
        signals.fire();
        return info;
    }

    /**
     * Snapshots the KV tablet if this replica leads a primary-key table and snapshots are kept:
     * a local checkpoint under the lock (hard links, quick), the upload outside it. Returns the
     * offset of the snapshot, or -1 when none was taken.
     */
    long snapshotKv(Path scratch) {
        long offset;
        KvSnapshots snapshots;
        synchronized (this) {
            if (role != Role.LEADER || kv == null || kvResources.snapshots() == null) {
                return -1;
            }
            snapshots = kvResources.snapshots();
            offset = kv.checkpoint(scratch);
        }
        snapshots.upload(scratch, offset);
        return offset;
    }

    /** Committed rows of encoded keys, in order; null where a key has none. */
    synchronized List<byte[]> lookup(List<byte[]> keys) {
        requireLeader();
        requireKv();
        requireCaughtUp();
        List<byte[]> values = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            values.add(kv.getValue(key));
        }
        return values;
    }

    /**
     * Committed rows whose encoded key starts with {@code prefix}: one page of at most
     * {@code maxRows} after {@code resumeAfter}, so that the monitor is held for a bounded scan.
     */
    synchronized KvTablet.PrefixPage prefixLookup(byte[] prefix, byte[] resumeAfter, int maxRows) {
        requireLeader();
        requireKv();
        requireCaughtUp();
        return kv.prefixValues(prefix, resumeAfter, maxRows);
    }

    private void requireKv() {
        if (kvResources == null) {
            throw new InvalidRequestException(bucket + " is of a table without a primary key: it has no key lookups"
                    + " or upserts");
        }
        if (kv == null) {
            throw new LeaderNotAvailableException(bucket + ": the leader's KV tablet is not restored yet ("
                    + kvFailure + "); retrying");
        }
    }

    /** Lookups after a failover must not miss writes the previous leader acknowledged. */
    private void requireCaughtUp() {
        if (kv.appliedOffset() < leaderStartOffset) {
            throw new LeaderNotAvailableException(bucket + ": the new leader's state is catching up (applied "
                    + kv.appliedOffset() + ", needs " + leaderStartOffset + ")");
        }
    }

    /**
     * Completes once the high watermark covers {@code offset} (exclusive end), that is once the
     * minimum number of in-sync replicas hold everything before it; fails if leadership moves.
     */
    synchronized CompletableFuture<Void> awaitCommitted(long offset) {
        if (acknowledgeable() >= offset) {
            return CompletableFuture.completedFuture(null);
        }
        if (role != Role.LEADER) {
            return CompletableFuture.failedFuture(new NotLeaderException(bucket + " is not led by server " + localId));
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        ackWaiters.add(new AckWaiter(offset, future));
        return future;
    }

    // ------------------------------------------------------------------ leader: followers

    /**
     * A follower fetched from {@code fetchOffset}, which says it holds everything before it.
     * Checks its epoch, updates what it holds, and may advance the high watermark or propose
     * adding it to the ISR.
     */
    void onFollowerFetch(int followerId, int followerEpoch, long fetchOffset, long nowMs) {
        Signals signals = new Signals();
        synchronized (this) {
            onFollowerFetch(followerId, followerEpoch, fetchOffset, nowMs, signals);
        }
        signals.fire();
    }

    private void onFollowerFetch(int followerId, int followerEpoch, long fetchOffset, long nowMs, Signals signals) {
        requireLeader();
        checkEpoch(followerEpoch);
        FollowerState follower = followers.get(followerId);
        if (follower == null) {
            throw new NotLeaderException("Server " + followerId + " is not a replica of " + bucket + " " + replicas);
        }
        long leaderEnd = log.logEndOffset();
        follower.logEndOffset = fetchOffset;
        if (fetchOffset >= leaderEnd) {
            follower.lastCaughtUpMs = nowMs;
        } else if (follower.lastFetchLeaderLogEnd >= 0 && fetchOffset >= follower.lastFetchLeaderLogEnd) {
            follower.lastCaughtUpMs = Math.max(follower.lastCaughtUpMs, follower.lastFetchMs);
        }
        follower.lastFetchLeaderLogEnd = leaderEnd;
        follower.lastFetchMs = nowMs;
        if (!isr.contains(followerId) && proposedIsr == null && fetchOffset >= highWatermark
                && fetchOffset >= leaderEpochStartOffset()) {
            Set<Integer> grown = new HashSet<>(isr);
            grown.add(followerId);
            propose(grown, signals);
        }
        maybeAdvanceHighWatermark(signals);
    }

    /** Proposes dropping in-sync followers that have not caught up within {@code maxLagMs}. */
    void maybeShrinkIsr(long nowMs, long maxLagMs) {
        Signals signals = new Signals();
        synchronized (this) {
            if (role != Role.LEADER || proposedIsr != null) {
                return;
            }
            Set<Integer> kept = new HashSet<>();
            for (int member : isr) {
                FollowerState follower = followers.get(member);
                if (member == localId || (follower != null && nowMs - follower.lastCaughtUpMs <= maxLagMs)) {
                    kept.add(member);
                }
            }
            if (kept.size() < isr.size()) {
                propose(kept, signals);
            }
        }
        signals.fire();
    }

    /** Sent once the monitor is released: the coordinator's answer comes back on another thread. */
    private void propose(Set<Integer> newIsr, Signals signals) {
        Set<Integer> proposal = Set.copyOf(newIsr);
        proposedIsr = proposal;
        int epoch = leaderEpoch;
        int version = bucketVersion;
        signals.then(() -> isrChanges.propose(this, epoch, proposal, version));
    }

    /** The first offset of this leader's epoch: a follower holding less cannot be in sync yet. */
    private long leaderEpochStartOffset() {
        var end = log.endOfEpoch(leaderEpoch - 1);
        return end.epoch() < 0 ? log.logStartOffset() : end.endOffset();
    }

    private void maybeAdvanceHighWatermark(Signals signals) {
        if (role != Role.LEADER) {
            return;
        }
        // While a change is pending, the larger set decides: the stricter high watermark.
        Set<Integer> members = new HashSet<>(isr);
        if (proposedIsr != null) {
            members.addAll(proposedIsr);
        }
        if (isr.size() < minInSyncReplicas || members.size() < minInSyncReplicas) {
            return;
        }
        long candidate = log.logEndOffset();
        for (int member : members) {
            if (member != localId) {
                FollowerState follower = followers.get(member);
                candidate = Math.min(candidate, follower == null ? -1 : follower.logEndOffset);
            }
        }
        if (candidate > highWatermark) {
            highWatermark = candidate;
            if (kv != null) {
                kv.flush(highWatermark); // before any ack: a lookup after an ack sees the write
            }
            completeAckWaiters(signals);
            wake(signals);
        }
    }

    /** Acks wait for the high watermark and, for a primary-key table, for RocksDB to hold the rows. */
    private long acknowledgeable() {
        return kv == null ? highWatermark : Math.min(highWatermark, kv.appliedOffset());
    }

    private void completeAckWaiters(Signals signals) {
        long upTo = acknowledgeable();
        for (Iterator<AckWaiter> it = ackWaiters.iterator(); it.hasNext(); ) {
            AckWaiter waiter = it.next();
            if (waiter.offset() <= upTo) {
                it.remove();
                signals.complete(waiter.future());
            }
        }
    }

    /** Applies to RocksDB what a write stall held back, then acknowledges the writes it holds. */
    void retryKvApply(long nowMs) {
        Signals signals = new Signals();
        synchronized (this) {
            if (kv == null && kvResources != null && role == Role.LEADER && nowMs >= nextKvAttemptMs) {
                openKv(nowMs);
            }
            if (kv == null || kv.appliedOffset() >= highWatermark) {
                return;
            }
            if (kv.flush(highWatermark)) {
                completeAckWaiters(signals);
            }
        }
        signals.fire();
    }

    private void failAckWaiters(RuntimeException error, Signals signals) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        ackWaiters.forEach(w -> futures.add(w.future()));
        ackWaiters.clear();
        signals.fail(futures, error);
    }

    // ------------------------------------------------------------------ follower

    /** Appends batches copied from the leader and takes the leader's high watermark as far as this log reaches. */
    synchronized void appendAsFollower(MemoryLogRecords records, long leaderHighWatermark) {
        if (role != Role.FOLLOWER) {
            throw new NotLeaderException(bucket + " is no longer a follower on server " + localId);
        }
        if (records.sizeInBytes() > 0) {
            log.appendAsFollower(records);
        }
        updateFollowerHighWatermark(leaderHighWatermark);
    }

    synchronized void updateFollowerHighWatermark(long leaderHighWatermark) {
        long next = Math.min(leaderHighWatermark, log.logEndOffset());
        if (next > highWatermark) {
            highWatermark = next;
        }
    }

    /** Truncates a divergent tail before fetching from a new leader. */
    synchronized void truncateTo(long offset) {
        if (kvResources != null) {
            kvResources.logTruncatedTo(offset);
        }
        log.truncateTo(offset);
        highWatermark = Math.min(highWatermark, log.logEndOffset());
    }

    synchronized void truncateFullyAndStartAt(long offset) {
        if (kvResources != null) {
            kvResources.logTruncatedTo(offset);
        }
        log.truncateFullyAndStartAt(offset);
        highWatermark = offset;
    }

    // ------------------------------------------------------------------ reads

    /**
     * Committed batches (below the high watermark) from the one holding {@code offset}, projected
     * when asked. A projection keeps a part of each batch, so reading goes on until the projected
     * batches fill about {@code maxBytes}: a projected response carries as many bytes as a whole
     * one, and so more rows, instead of a tenth as many for two of twenty columns.
     */
    LogRecords read(long offset, int maxBytes, SchemaProjection projection) {
        LogRecords records = log.read(offset, maxBytes, highWatermark).records();
        if (projection == null || records.sizeInBytes() == 0) {
            return records;
        }
        List<MemoryLogRecords> parts = new ArrayList<>();
        int total = 0;
        long next = offset;
        while (records.sizeInBytes() > 0) {
            MemoryLogRecords projected = ((FileLogRecords) records).project(projection);
            parts.add(projected);
            total += projected.sizeInBytes();
            long from = next;
            for (LogRecordBatch batch : projected.batches()) {
                next = batch.nextOffset();
            }
            if (total >= maxBytes || next <= from) {
                break;
            }
            // The budget's rest, at least an eighth of it, so that a few reads fill a response.
            records = log.read(next, Math.max(maxBytes - total, maxBytes / 8), highWatermark).records();
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        java.nio.ByteBuffer joined = java.nio.ByteBuffer.allocate(total);
        parts.forEach(part -> joined.put(part.buffer()));
        return MemoryLogRecords.readableRecords(joined.flip());
    }

    /** Batches up to the log end, for a follower. */
    LogRecords readForFollower(long offset, int maxBytes) {
        return log.read(offset, maxBytes).records();
    }

    /** Completes when the high watermark next moves past {@code offset}, at once if it already has. */
    synchronized CompletableFuture<Void> dataAfter(long offset) {
        return offset < highWatermark ? CompletableFuture.completedFuture(null) : highWatermarkMoved;
    }

    /** Completes when the log end next moves past {@code offset}, or leadership changes. */
    synchronized CompletableFuture<Void> logEndAfter(long offset) {
        return offset < log.logEndOffset() ? CompletableFuture.completedFuture(null) : logEndMoved;
    }

    private void wake(Signals signals) {
        signals.complete(highWatermarkMoved);
        highWatermarkMoved = new CompletableFuture<>();
        signalLogEnd(signals);
    }

    private void signalLogEnd(Signals signals) {
        signals.complete(logEndMoved);
        logEndMoved = new CompletableFuture<>();
    }

    // ------------------------------------------------------------------ state

    /** Throws {@link NotLeaderException} naming the leader unless this replica leads. */
    synchronized void requireLeader() {
        if (role != Role.LEADER) {
            throw new NotLeaderException(bucket + (leaderId < 0 ? " has no leader" : " is led by server " + leaderId)
                    + " (epoch " + leaderEpoch + "), not by server " + localId);
        }
        if (fencedBecause != null) {
            throw new NotLeaderException(bucket + ": server " + localId + " led it at epoch " + leaderEpoch + " but "
                    + fencedBecause + "; it takes requests again once the coordinator confirms who leads");
        }
    }

    /**
     * Stops taking writes and lookups as leader until the coordinator's next announcement, which
     * says whether this replica still leads.
     */
    synchronized void fence(String reason) {
        fencedBecause = reason;
    }

    /** Leads again without a new announcement: the session, and with it the leadership, survived. */
    synchronized void unfence() {
        fencedBecause = null;
    }

    /** Fences a request made for another leader epoch than this replica's. */
    synchronized void checkEpoch(int requestEpoch) {
        if (requestEpoch < leaderEpoch) {
            throw new FencedLeaderEpochException(bucket + ": epoch " + requestEpoch + " is older than the current "
                    + leaderEpoch);
        }
        if (requestEpoch > leaderEpoch) {
            throw new UnknownLeaderEpochException(bucket + ": epoch " + requestEpoch + " is newer than "
                    + leaderEpoch + " known on server " + localId);
        }
    }

    long highWatermark() {
        return highWatermark;
    }

    synchronized Role role() {
        return role;
    }

    synchronized int leaderId() {
        return leaderId;
    }

    synchronized int leaderEpoch() {
        return leaderEpoch;
    }

    /** The bucket's assigned replicas, in sync or not. */
    synchronized int replicaCount() {
        return replicas.size();
    }

    synchronized Set<Integer> isr() {
        return isr;
    }

    BucketLog log() {
        return log;
    }

    TableBucket bucket() {
        return bucket;
    }

    @Override
    public void close() {
        Signals signals = new Signals();
        synchronized (this) {
            role = Role.OFFLINE;
            failAckWaiters(new NotLeaderException(bucket + " is no longer served by server " + localId), signals);
            wake(signals);
            closeKv();
            log.close();
        }
        signals.fire();
    }
}
