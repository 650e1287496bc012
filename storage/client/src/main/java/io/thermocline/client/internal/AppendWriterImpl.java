package io.thermocline.client.internal;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.TableInfo;
import io.thermocline.client.api.ClientOptions;
import io.thermocline.common.bucketing.BucketFunction;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.OutOfOrderSequenceException;
import io.thermocline.common.exception.RequestTimeoutException;
import io.thermocline.common.exception.RetriableException;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.exception.ThermoclineException;
import io.thermocline.common.internal.record.ChangeType;
import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatchBuilder;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordBatchFormat;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.PartitionValues;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.schema.Schema;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Buffers rows per bucket in reusable batch builders; a sender thread seals batches that are full
 * or have lingered and sends each bucket's batches one at a time, in order, to its leader. All
 * buffer state is guarded by one lock; responses arrive on network threads and take it briefly.
 * A partitioned table has buffers per partition, created with its first row and released once
 * the partition has been idle for a while (old time partitions stop receiving rows).
 */
final class AppendWriterImpl implements AppendWriter {
    private static final long PARTITION_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final TableImpl table;
    private final boolean upsert;
    private final long tableId;
    private final Schema schema;
    private final int bucketCount;
    private final int batchSize;
    /** Reads a row's partition values; null for tables without partitions. */
    private final PartitionValues.Extractor partitionValues;
    /** The bucket of a row by its bucket keys; null for tables without bucket keys (sticky buckets). */
    private final BucketFunction bucketFunction;
    private final long lingerNanos;
    private final long bufferMemory;
    private final long maxBlockNanos;
    private final long deliveryTimeoutNanos;
    private final boolean idempotent;
    /** Guarded by lock; replaced when a batch is lost, so that later batches do not leave a sequence gap. */
    private long writerId = LogRecordBatchFormat.NO_WRITER_ID;
    private boolean writerIdLost;
    private final BufferAllocator allocator = new RootAllocator();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Buffers by partition id ({@link TableBucket#NO_PARTITION} for tables without partitions). */
    private final Map<Long, PartitionBuffers> partitions = new LinkedHashMap<>();
    private final Thread sender;
    private final BatchSender batchSender;
    private long usedBytes;
    private boolean flushing;
    private boolean closed;
    /** Guarded by lock; set when the sender thread died: every later write and flush fails with it. */
    private ThermoclineException senderFailure;

    /** The bucket buffers of one partition, or of the whole table. */
    private static final class PartitionBuffers {
        final BucketBuffer[] buckets;
        int stickyBucket;
        long lastAppendNanos;

        PartitionBuffers(BucketBuffer[] buckets) {
            this.buckets = buckets;
        }

        boolean isIdle() {
            for (BucketBuffer buffer : buckets) {
                if (buffer.inFlight || !buffer.ready.isEmpty() || !buffer.builder.isEmpty()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Rows of one bucket waiting to be sent or acknowledged. */
    private static final class BucketBuffer {
        final TableBucket bucket;
        final LogRecordBatchBuilder builder;
        List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
        long firstAppendNanos;
        long reserved;
        final Deque<Batch> ready = new ArrayDeque<>();
        boolean inFlight;
        /** The idempotent sequence of the next batch sealed. */
        int nextSequence;

        BucketBuffer(TableBucket bucket, LogRecordBatchBuilder builder) {
            this.bucket = bucket;
            this.builder = builder;
        }
    }

    AppendWriterImpl(TableImpl table) {
        this(table, false, null);
        if (table.info().schema().hasPrimaryKey()) {
            throw new InvalidRequestException("Table " + table.info().path() + " has a primary key; write it with an"
                    + " upsert writer (Table.newUpsertWriter)");
        }
    }

    /**
     * With {@code upsert}, rows go to a primary-key table as changelog batches (+I upserts, -D
     * deletes) through PUT_KV, setting only {@code targetColumns} when given.
     */
    AppendWriterImpl(TableImpl table, boolean upsert, int[] targetColumns) {
        this.table = table;
        this.upsert = upsert;
        TableInfo info = table.info();
        Configuration conf = table.conf();
        this.tableId = info.tableId();
        this.schema = info.schema();
        this.bucketFunction = info.bucketKeys().isEmpty() ? null : new BucketFunction(schema.rowType(),
                info.bucketKeys().stream().mapToInt(schema::columnIndex).toArray(), info.bucketCount());
        this.lingerNanos = conf.get(ClientOptions.WRITER_LINGER).toNanos();
        this.bufferMemory = conf.get(ClientOptions.WRITER_BUFFER_MEMORY).bytes();
        this.maxBlockNanos = conf.get(ClientOptions.WRITER_MAX_BLOCK).toNanos();
        this.deliveryTimeoutNanos = conf.get(ClientOptions.WRITER_DELIVERY_TIMEOUT).toNanos();
        this.idempotent = conf.get(ClientOptions.WRITER_IDEMPOTENCE);
        if (idempotent) {
            this.writerId = TableImpl.join(table.admin().initWriter());
        }
        this.batchSize = (int) conf.get(ClientOptions.WRITER_BATCH_SIZE).bytes();
        this.bucketCount = info.bucketCount();
        this.partitionValues = info.isPartitioned()
                ? PartitionValues.extractor(info.path(), schema, info.partitionKeys()) : null;
        this.batchSender = new BatchSender(table, tableId, upsert, targetColumns, this::acknowledged, this::onFailure);
        this.sender = new Thread(this::runSender, "thermocline-writer-" + info.path());
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public CompletableFuture<AppendResult> append(InternalRow row) {
        return write(ChangeType.INSERT, row);
    }

    /** Buffers a row with its change: +I appends (or upserts), -D deletes (upsert writers only). */
    CompletableFuture<AppendResult> write(ChangeType change, InternalRow row) {
        long partitionId = TableBucket.NO_PARTITION;
        if (partitionValues != null) {
            try {
                // May refresh metadata or create the partition: never under the lock.
                partitionId = table.partitionId(partitionValues.values(row));
            } catch (ApiException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("The writer of " + table.info().path() + " is closed");
            }
            if (senderFailure != null) {
                return CompletableFuture.failedFuture(senderFailure);
            }
            long deadline = System.nanoTime() + maxBlockNanos;
            while (usedBytes >= bufferMemory) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new RequestTimeoutException("Append to " + table.info().path() + " blocked "
                            + TimeUnit.NANOSECONDS.toMillis(maxBlockNanos) + " ms: the writer's " + bufferMemory
                            + " bytes of buffer memory are full (client.writer.buffer-memory)");
                }
                changed.awaitNanos(left);
            }
            PartitionBuffers partition = partition(partitionId);
            partition.lastAppendNanos = System.nanoTime();
            BucketBuffer buffer = partition.buckets[bucketOf(partition, row)];
            long before = buffer.builder.isEmpty() ? 0 : buffer.builder.estimatedSizeInBytes();
            try {
                if (!buffer.builder.tryAppend(change, row)) {
                    seal(buffer);
                    before = 0;
                    buffer.builder.tryAppend(change, row); // an empty builder takes any row
                }
            } catch (SchemaException e) {
                throw new SchemaException("Table " + table.info().path() + ": " + e.getMessage());
            }
            long grown = buffer.builder.estimatedSizeInBytes() - before;
            usedBytes += grown;
            buffer.reserved += grown;
            if (buffer.futures.isEmpty()) {
                // A new batch starts its linger now: the sender must know, or it sleeps on.
                buffer.firstAppendNanos = System.nanoTime();
                changed.signalAll();
            }
            CompletableFuture<AppendResult> future = new CompletableFuture<>();
            buffer.futures.add(future);
            if (buffer.builder.isFull()) {
                seal(buffer);
            }
            return future;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestTimeoutException("Interrupted while appending to " + table.info().path());
        } finally {
            lock.unlock();
        }
    }

    private PartitionBuffers partition(long partitionId) {
        PartitionBuffers partition = partitions.get(partitionId);
        if (partition == null) {
            BucketBuffer[] buckets = new BucketBuffer[bucketCount];
            for (int b = 0; b < bucketCount; b++) {
                buckets[b] = new BucketBuffer(new TableBucket(tableId, partitionId, b), new LogRecordBatchBuilder(
                        schema.rowType(), schema.schemaId(), LogCompression.LZ4_FRAME, upsert, batchSize, allocator));
            }
            partition = new PartitionBuffers(buckets);
            partitions.put(partitionId, partition);
        }
        return partition;
    }

    /** Log tables without bucket keys fill one bucket per batch, then move on (few, full batches). */
    private int bucketOf(PartitionBuffers partition, InternalRow row) {
        if (bucketFunction == null) {
            BucketBuffer sticky = partition.buckets[partition.stickyBucket];
            if (!sticky.ready.isEmpty() || sticky.builder.isFull()) {
                partition.stickyBucket = (partition.stickyBucket + 1) % bucketCount;
            }
            return partition.stickyBucket;
        }
        return bucketFunction.bucket(row);
    }

    private void seal(BucketBuffer buffer) {
        if (idempotent) {
            buffer.builder.setWriterState(writerId, buffer.nextSequence++);
        }
        MemoryLogRecords records = buffer.builder.build();
        usedBytes += records.sizeInBytes() - buffer.reserved;
        buffer.ready.add(new Batch(buffer.bucket, records, buffer.futures, records.sizeInBytes(), System.nanoTime()));
        buffer.futures = new ArrayList<>();
        buffer.reserved = 0;
        changed.signalAll();
    }

    private void runSender() {
        try {
            sendUntilClosed();
        } catch (RuntimeException | Error e) {
            senderDied(e);
        }
    }

    /**
     * Fails what the writer holds and everything after it, rather than leave writers and flushes
     * waiting on a thread that is gone.
     */
    private void senderDied(Throwable cause) {
        String hint = cause instanceof UnsupportedOperationException && String.valueOf(cause.getMessage()).contains("Unsafe")
                ? " (Arrow needs the JVM option --add-opens=java.base/java.nio=ALL-UNNAMED)" : "";
        ThermoclineException failure = new ThermoclineException("The writer of " + table.info().path()
                + " stopped: " + cause + hint, cause);
        lock.lock();
        try {
            senderFailure = failure;
            for (BucketBuffer buffer : allBuffers()) {
                buffer.futures.forEach(f -> f.completeExceptionally(failure));
                buffer.futures = new ArrayList<>();
                buffer.ready.forEach(batch -> batch.futures().forEach(f -> f.completeExceptionally(failure)));
                buffer.ready.clear();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void sendUntilClosed() {
        while (true) {
            List<Batch> toSend = new ArrayList<>();
            if (needsNewWriterId()) {
                startOver();
            }
            lock.lock();
            try {
                while (toSend.isEmpty() && !writerIdLost) {
                    long now = System.nanoTime();
                    long wait = TimeUnit.MILLISECONDS.toNanos(100);
                    boolean pending = false;
                    releaseIdlePartitions(now);
                    for (BucketBuffer buffer : allBuffers()) {
                        pending |= buffer.inFlight || !buffer.ready.isEmpty() || !buffer.builder.isEmpty();
                        if (buffer.inFlight) {
                            continue;
                        }
                        if (buffer.ready.isEmpty() && !buffer.builder.isEmpty()) {
                            long due = buffer.firstAppendNanos + lingerNanos;
                            if (flushing || closed || now >= due) {
                                seal(buffer);
                            } else {
                                wait = Math.min(wait, due - now);
                            }
                        }
                        Batch next = buffer.ready.poll();
                        if (next != null) {
                            buffer.inFlight = true;
                            toSend.add(next);
                        }
                    }
                    if (toSend.isEmpty()) {
                        if (closed && !pending) {
                            return;
                        }
                        changed.awaitNanos(Math.max(wait, 1));
                    }
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            batchSender.sendAll(toSend);
        }
    }

    private List<BucketBuffer> allBuffers() {
        List<BucketBuffer> all = new ArrayList<>(partitions.size() * bucketCount);
        for (PartitionBuffers partition : partitions.values()) {
            all.addAll(Arrays.asList(partition.buckets));
        }
        return all;
    }

    /** Frees the builders of partitions that have had nothing to send for a while. */
    private void releaseIdlePartitions(long now) {
        if (partitionValues == null) {
            return;
        }
        var it = partitions.values().iterator();
        while (it.hasNext()) {
            PartitionBuffers partition = it.next();
            if (now - partition.lastAppendNanos > PARTITION_IDLE_NANOS && partition.isIdle()) {
                for (BucketBuffer buffer : partition.buckets) {
                    buffer.builder.close();
                }
                it.remove();
            }
        }
    }

    /** Sends the batches, one request per leader server holding all of its buckets' batches. */
    /** The leader took the batch: each row's future learns its offset (none without acknowledgements). */
    private void acknowledged(Batch batch, long baseOffset, long commitTimestamp) {
        for (int row = 0; row < batch.futures().size(); row++) {
            batch.futures().get(row).complete(new AppendResult(batch.bucket().partitionId(), batch.bucket().bucket(),
                    baseOffset < 0 ? -1 : baseOffset + row, commitTimestamp));
        }
        done(batch, null);
    }

    private void onFailure(Batch batch, Throwable error) {
        boolean inTime = System.nanoTime() - batch.createdNanos() < deliveryTimeoutNanos;
        if (idempotent && error instanceof OutOfOrderSequenceException && inTime) {
            // Every earlier batch of this bucket was acknowledged (one in flight per bucket; a lost
            // one would have made the writer start over already), so the leader forgot a sequence
            // (a batch that changed nothing, before a leader change): start over and send it again.
            lock.lock();
            try {
                writerIdLost = true;
            } finally {
                lock.unlock();
            }
            done(null, batch);
            return;
        }
        boolean retry = error instanceof RetriableException && inTime;
        if (!retry) {
            RuntimeException failure = error instanceof ApiException ? (RuntimeException) error
                    : new RequestTimeoutException("Append to " + table.info().path() + " " + batch.bucket()
                            + " failed: " + error);
            batch.futures().forEach(f -> f.completeExceptionally(failure));
            if (idempotent) {
                lock.lock();
                try {
                    // The lost batch's sequence will never arrive: the batches after it start over.
                    writerIdLost = true;
                } finally {
                    lock.unlock();
                }
            }
            done(batch, null);
            return;
        }
        // The leader may have moved: refresh metadata, then put the batch back at the head.
        table.refresh().whenComplete((info, refreshError) -> table.scheduler().schedule(
                () -> done(null, batch), 100, TimeUnit.MILLISECONDS));
    }

    /** A batch left flight: acknowledged or failed ({@code finished}), or to be sent again ({@code retry}). */
    private void done(Batch finished, Batch retry) {
        lock.lock();
        try {
            if (finished != null) {
                usedBytes -= finished.bytes();
                buffer(finished.bucket()).inFlight = false;
            } else {
                buffer(retry.bucket()).ready.addFirst(retry);
                buffer(retry.bucket()).inFlight = false;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean needsNewWriterId() {
        lock.lock();
        try {
            return writerIdLost;
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a lost batch: takes a new writer id and renumbers the batches not sent yet from 0 per
     * bucket. Batches in flight keep the old id, which the servers still know.
     */
    private void startOver() {
        long fresh;
        try {
            fresh = TableImpl.join(table.admin().initWriter());
        } catch (RuntimeException e) {
            // The coordinator is unreachable: sending waits for the next try.
            try {
                Thread.sleep(100);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        lock.lock();
        try {
            writerId = fresh;
            writerIdLost = false;
            for (BucketBuffer buffer : allBuffers()) {
                buffer.nextSequence = 0;
                for (Batch batch : buffer.ready) {
                    for (LogRecordBatch view : batch.records().batches()) {
                        view.restampWriter(fresh, buffer.nextSequence++);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A bucket's buffer; it exists while a batch of it is in flight, as busy partitions are kept. */
    private BucketBuffer buffer(TableBucket bucket) {
        return partitions.get(bucket.partitionId()).buckets[bucket.bucket()];
    }

    @Override
    public void flush() {
        lock.lock();
        try {
            flushing = true;
            changed.signalAll();
            while (senderFailure == null && hasPending()) {
                changed.await(100, TimeUnit.MILLISECONDS);
            }
            if (senderFailure != null) {
                throw senderFailure;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            flushing = false;
            lock.unlock();
        }
    }

    private boolean hasPending() {
        for (BucketBuffer buffer : allBuffers()) {
            if (buffer.inFlight || !buffer.ready.isEmpty() || !buffer.builder.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            sender.join(TimeUnit.NANOSECONDS.toMillis(deliveryTimeoutNanos) + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (BucketBuffer buffer : allBuffers()) {
            buffer.builder.close();
        }
        allocator.close();
    }
}
