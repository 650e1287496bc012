package io.thermocline.flink.source;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.RowConverter;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reads its buckets with one push-based scanner, emitting rows with the row kind of their change
 * type (+I for log tables) and the commit time as event timestamp. Checkpoints hold each bucket's
 * next offset, so a restored job resumes exactly after the last row it emitted.
 */
final class BucketSplitReader implements SourceReader<RowData, BucketSplit> {
    private static final Duration POLL = Duration.ofMillis(50);

    private final SourceReaderContext context;
    private final Map<String, String> clientOptions;
    private final TablePath path;
    private final int[] projection;
    private final RowType readType;
    private final RowConverter converter;
    /** Open splits by split id, with the next offset to emit. */
    private final Map<String, BucketSplit> splits = new LinkedHashMap<>();
    private final Map<String, Long> next = new LinkedHashMap<>();
    private Connection connection;
    private LogScanner scanner;
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    BucketSplitReader(SourceReaderContext context, Map<String, String> clientOptions, TablePath path, int[] projection,
            RowType readType) {
        this.context = context;
        this.clientOptions = clientOptions;
        this.path = path;
        this.projection = projection;
        this.readType = readType;
        this.converter = new RowConverter(readType);
    }

    @Override
    public void start() {
        connection = ConnectionFactory.create(new Configuration(clientOptions));
        Table table = connection.table(path);
        scanner = projection == null ? table.newLogScanner() : table.newLogScanner(projection);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RowData> output) {
        finishReachedSplits();
        if (splits.isEmpty()) {
            return noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }
        for (ScanRecord record : scanner.poll(POLL)) {
            String id = record.partitionId() + "-" + record.bucket();
            BucketSplit split = splits.get(id);
            if (split == null || record.offset() >= split.stopOffset) {
                continue;
            }
            GenericRowData row = converter.toFlink(record.row());
            row.setRowKind(kind(record.changeType()));
            output.collect(row, record.commitTimestamp());
            next.put(id, record.offset() + 1);
        }
        return InputStatus.MORE_AVAILABLE;
    }

    private void finishReachedSplits() {
        for (var it = splits.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            BucketSplit split = entry.getValue();
            if (next.get(entry.getKey()) >= split.stopOffset) {
                scanner.unsubscribe(split.partitionId, split.bucket);
                next.remove(entry.getKey());
                it.remove();
            }
        }
    }

    private static RowKind kind(String changeType) {
        switch (changeType) {
            case "-U":
                return RowKind.UPDATE_BEFORE;
            case "+U":
                return RowKind.UPDATE_AFTER;
            case "-D":
                return RowKind.DELETE;
            default:
                return RowKind.INSERT;
        }
    }

    @Override
    public List<BucketSplit> snapshotState(long checkpointId) {
        List<BucketSplit> state = new ArrayList<>();
        splits.forEach((id, split) -> {
            state.add(split.from(next.get(id)));
        });
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return !splits.isEmpty() || noMoreSplits ? CompletableFuture.completedFuture(null) : available;
    }

    @Override
    public void addSplits(List<BucketSplit> added) {
        for (BucketSplit split : added) {
            if (split.startOffset >= split.stopOffset) {
                continue; // nothing to read
            }
            splits.put(split.splitId(), split);
            next.put(split.splitId(), split.startOffset);
            scanner.subscribe(split.partitionId, split.bucket, split.startOffset);
        }
        wake();
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        wake();
    }

    private void wake() {
        CompletableFuture<Void> waiting = available;
        available = new CompletableFuture<>();
        waiting.complete(null);
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
