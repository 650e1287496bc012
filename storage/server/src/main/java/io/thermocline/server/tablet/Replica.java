package io.thermocline.server.tablet;

import io.thermocline.common.internal.record.BatchProjection;
import io.thermocline.common.internal.record.LogRecords;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.server.log.BucketLog;
import io.thermocline.server.log.FileLogRecords;
import io.thermocline.server.log.LogAppendInfo;

import java.util.concurrent.CompletableFuture;

/**
 * This server's replica of one bucket, as its leader: the bucket log plus the high watermark, the
 * offset below which data is committed and visible to readers. With a single replica the high
 * watermark follows the log end at once; followers (next issue) will hold it back to what the
 * in-sync replicas have. Readers waiting for data are woken when it moves: no polling.
 */
final class Replica implements AutoCloseable {
    private final TableBucket bucket;
    private final BucketLog log;
    private final int leaderEpoch;
    private volatile long highWatermark;
    /** Completed, and replaced, whenever the high watermark moves. */
    private volatile CompletableFuture<Void> dataArrived = new CompletableFuture<>();

    Replica(TableBucket bucket, BucketLog log, int leaderEpoch) {
        this.bucket = bucket;
        this.log = log;
        this.leaderEpoch = leaderEpoch;
        this.highWatermark = log.logEndOffset();
    }

    LogAppendInfo appendAsLeader(MemoryLogRecords records) {
        LogAppendInfo info = log.appendAsLeader(records, leaderEpoch);
        advanceHighWatermark(log.logEndOffset());
        return info;
    }

    private void advanceHighWatermark(long offset) {
        CompletableFuture<Void> waiters;
        synchronized (this) {
            if (offset <= highWatermark) {
                return;
            }
            highWatermark = offset;
            waiters = dataArrived;
            dataArrived = new CompletableFuture<>();
        }
        waiters.complete(null);
    }

    /** Committed batches from the one holding {@code offset}, projected when asked. */
    LogRecords read(long offset, int maxBytes, BatchProjection projection) {
        LogRecords records = log.read(offset, maxBytes, highWatermark).records();
        if (projection == null || records.sizeInBytes() == 0) {
            return records;
        }
        return ((FileLogRecords) records).project(projection);
    }

    /** Completes when the high watermark next moves past {@code offset}, at once if it already has. */
    CompletableFuture<Void> dataAfter(long offset) {
        CompletableFuture<Void> next = dataArrived;
        return offset < highWatermark ? CompletableFuture.completedFuture(null) : next;
    }

    long highWatermark() {
        return highWatermark;
    }

    BucketLog log() {
        return log;
    }

    TableBucket bucket() {
        return bucket;
    }

    int leaderEpoch() {
        return leaderEpoch;
    }

    @Override
    public void close() {
        log.close();
    }
}
