package io.thermocline.client.api;

import java.time.Duration;
import java.util.List;

/**
 * Reads a table's buckets as a stream, push-based: a poll waits on the servers, which answer as
 * soon as new rows are committed, so no polling interval adds latency. Not thread-safe: one
 * thread polls. Close it to release its connections' outstanding reads.
 */
public interface LogScanner extends AutoCloseable {

    /** Offset meaning "the oldest row still kept". */
    long EARLIEST = -2;
    /** Offset meaning "rows committed from now on". */
    long LATEST = -1;

    /** Starts reading a bucket at an offset (or {@link #EARLIEST} / {@link #LATEST}). */
    void subscribe(int bucket, long offset);

    /** Starts reading a bucket of a partition (see {@code Admin#listPartitions}) at an offset. */
    void subscribe(long partitionId, int bucket, long offset);

    /** Starts reading a bucket at the first row committed at or after the timestamp (epoch ms). */
    void subscribeFromTimestamp(int bucket, long timestamp);

    void subscribeFromTimestamp(long partitionId, int bucket, long timestamp);

    void unsubscribe(int bucket);

    void unsubscribe(long partitionId, int bucket);

    /** Rows that arrived, in offset order per bucket; empty when none did within the timeout. */
    List<ScanRecord> poll(Duration timeout);

    /**
     * Like {@link #poll}, but hands over the stored batches undecoded (checksums verified), one
     * entry per bucket that got any. Use one of the two polls per scanner.
     */
    List<LogBatches> pollBatches(Duration timeout);

    /**
     * Where the scanner reads on in a subscribed bucket: past every row polled so far and past the
     * offsets that hold no row (a writer's no-op marker), which no poll returns. A reader that
     * keeps its own offsets (to resume, or to stop at an end) takes this one after each poll.
     */
    long position(long partitionId, int bucket);

    /** Bytes of row batches received from the servers so far (after projection on the servers). */
    long bytesFetched();

    @Override
    void close();
}
