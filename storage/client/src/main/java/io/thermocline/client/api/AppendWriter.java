package io.thermocline.client.api;

import io.thermocline.common.row.InternalRow;

import java.util.concurrent.CompletableFuture;

/**
 * Appends rows to a log table. Rows are batched per bucket in the background and sent when a
 * batch is full or after {@link ClientOptions#WRITER_LINGER} (5 ms by default), so latency stays in
 * milliseconds. Rows of one bucket are appended in the order of {@link #append} calls.
 * Thread-safe; close it to send what is buffered and release its memory.
 *
 * <p>{@link #append} blocks while the writer's buffer memory is full (back-pressure), at most
 * {@link ClientOptions#WRITER_MAX_BLOCK}, then fails with {@code RequestTimeoutException}. Retriable
 * errors (leader moves, lost connections) are retried with fresh metadata. In a partitioned table
 * a row goes to the partition its partition columns name; a missing partition is created unless
 * {@link ClientOptions#WRITER_DYNAMIC_PARTITION_CREATION} is off. With
 * {@link ClientOptions#WRITER_IDEMPOTENCE} (on by default) each bucket's batches carry the writer's
 * id and a sequence number, so a batch retried after a lost response or a leader change is
 * appended once; with it off, such a retry may append a batch twice.
 */
public interface AppendWriter extends AutoCloseable {

    /** Buffers a row; the future completes once the row is acknowledged, with where it landed. */
    CompletableFuture<AppendResult> append(InternalRow row);

    /** Sends everything buffered and waits until it is acknowledged or failed. */
    void flush();

    @Override
    void close();

    /**
     * Where an acknowledged row landed.
     *
     * @param partitionId the row's partition, or {@code TableBucket.NO_PARTITION}
     */
    record AppendResult(long partitionId, int bucket, long offset, long commitTimestamp) {}
}
