package io.thermocline.tiering.source;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogBatches;
import io.thermocline.client.api.LogScanner;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.LakeException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.tiering.TieringOptions;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reads its splits one at a time: a bucket from the round's start offset to its fixed end offset,
 * handing the stored batches on undecoded, then an end marker. Asks the enumerator for the next
 * split when idle. Keeps no state: a restarted job redoes its rounds from the lake.
 */
final class TieringSourceReader implements SourceReader<TieringRecord, TieringSplit> {
    private static final Duration POLL = Duration.ofMillis(100);

    private final SourceReaderContext context;
    private final Map<String, String> conf;
    private final Duration stallTimeout;
    private final Deque<TieringSplit> splits = new ArrayDeque<>();
    private Connection connection;
    private TieringSplit current;
    private LogScanner scanner;
    private long position;
    /** When the current split last got rows (or began). */
    private long progressNanos;
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean requested;

    TieringSourceReader(SourceReaderContext context, Map<String, String> conf) {
        this.context = context;
        this.conf = conf;
        this.stallTimeout = new Configuration(conf).get(TieringOptions.READ_STALL_TIMEOUT);
    }

    @Override
    public void start() {
        connection = ConnectionFactory.create(new Configuration(conf));
        requestSplit();
    }

    private void requestSplit() {
        if (!requested) {
            requested = true;
            context.sendSplitRequest();
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<TieringRecord> output) {
        if (current == null) {
            current = splits.poll();
            if (current == null) {
                requestSplit();
                return InputStatus.NOTHING_AVAILABLE;
            }
            scanner = connection.table(current.round.path()).newLogScanner();
            scanner.subscribe(current.partitionId, current.bucket, current.startOffset);
            position = current.startOffset;
            progressNanos = System.nanoTime();
        }
        if (position < current.endOffset) {
            for (LogBatches batches : scanner.pollBatches(POLL)) {
                byte[] bytes = new byte[batches.batches().remaining()];
                batches.batches().duplicate().get(bytes);
                output.collect(new TieringRecord(current.round, current.partitionId, current.bucket,
                        Math.max(batches.fromOffset(), current.startOffset), current.endOffset, bytes));
                position = batches.nextOffset();
                progressNanos = System.nanoTime();
            }
            if (position < current.endOffset && System.nanoTime() - progressNanos > stallTimeout.toNanos()) {
                // Failing restarts the job, which abandons its rounds; the next ones plan from the log as it is now.
                throw new LakeException("Table " + current.round.path() + " bucket " + current.bucket
                        + (current.partitionId == TableBucket.NO_PARTITION ? "" : " of partition " + current.partitionId)
                        + ": tiering got no rows past offset " + position + " for " + stallTimeout.toMillis()
                        + " ms (tiering.read-stall-timeout), short of the round's end " + current.endOffset + "; the"
                        + " bucket's log may end below it now (an unclean leader election truncated it) or no leader is"
                        + " reachable. The job's rounds start again from the lake");
            }
            return InputStatus.MORE_AVAILABLE;
        }
        output.collect(new TieringRecord(current.round, current.partitionId, current.bucket, current.startOffset,
                current.endOffset, null));
        scanner.close();
        scanner = null;
        current = null;
        return InputStatus.MORE_AVAILABLE;
    }

    @Override
    public List<TieringSplit> snapshotState(long checkpointId) {
        return List.of();
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return current != null || !splits.isEmpty() ? CompletableFuture.completedFuture(null) : available;
    }

    @Override
    public void addSplits(List<TieringSplit> newSplits) {
        splits.addAll(newSplits);
        requested = false;
        CompletableFuture<Void> waiting = available;
        available = new CompletableFuture<>();
        waiting.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        // the source is unbounded: more rounds always come
    }

    @Override
    public void close() {
        if (scanner != null) {
            scanner.close();
        }
        if (connection != null) {
            connection.close();
        }
    }
}
