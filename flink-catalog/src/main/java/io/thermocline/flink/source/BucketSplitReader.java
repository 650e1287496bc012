package io.thermocline.flink.source;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.common.config.Configuration;
import io.thermocline.flink.RowConverter;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
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
    private final ThermoclineSource source;
    private final RowConverter converter;
    /**
     * A merging read's hot changes, by bucket and key: the key's newest row, or null once deleted.
     * Only the hot tail is held in memory; the lake's rows stream past it, and these go out last.
     */
    private final Map<Integer, Map<List<Object>, GenericRowData>> current = new java.util.HashMap<>();
    private long emitted;
    private final org.apache.flink.metrics.Counter bytesIn;
    private long bytesCounted;
    /** Open splits by split id, with the next offset to emit. */
    private final Map<String, BucketSplit> splits = new LinkedHashMap<>();
    private final Map<String, Long> next = new LinkedHashMap<>();
    /** Lake splits not read to their end yet, the first one being read. */
    private final java.util.ArrayDeque<BucketSplit> lakeSplits = new java.util.ArrayDeque<>();
    private static final int LAKE_ROWS_PER_POLL = 1024;
    private LakeSplitRead lake;
    private Connection connection;
    private LogScanner scanner;
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    BucketSplitReader(SourceReaderContext context, ThermoclineSource source) {
        this.context = context;
        this.source = source;
        this.converter = new RowConverter(source.readType());
        this.bytesIn = context.metricGroup().getIOMetricGroup().getNumBytesInCounter();
    }

    @Override
    public void start() {
        open();
    }

    /** Connects on first need: a restored reader gets its splits before {@link #start()}. */
    private void open() {
        if (connection == null) {
            connection = ConnectionFactory.create(new Configuration(source.clientOptions));
            Table table = connection.table(source.path);
            int[] columns = source.readColumns();
            scanner = columns == null ? table.newLogScanner() : table.newLogScanner(columns);
            lake = new LakeSplitRead(source, connection.admin());
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RowData> output) {
        if (limitReached()) {
            return InputStatus.END_OF_INPUT;
        }
        finishReachedSplits(output);
        // A merging read takes the hot changes first, then streams the lake past them.
        if (!lakeSplits.isEmpty() && (!source.merges() || (noMoreSplits && splits.isEmpty()))) {
            readLake(output);
            return InputStatus.MORE_AVAILABLE;
        }
        if (splits.isEmpty()) {
            if (noMoreSplits && lakeSplits.isEmpty() && !current.isEmpty()) {
                for (Map<List<Object>, GenericRowData> rows : current.values()) {
                    for (GenericRowData row : rows.values()) {
                        if (limitReached()) {
                            break;
                        }
                        if (row != null) { // null: deleted
                            emit(output, project(row), Long.MIN_VALUE);
                        }
                    }
                }
                current.clear();
            }
            return noMoreSplits && lakeSplits.isEmpty() ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }
        List<ScanRecord> records = scanner.poll(POLL);
        // Flink's standard numBytesIn: what the servers sent, after their projection.
        bytesIn.inc(scanner.bytesFetched() - bytesCounted);
        bytesCounted = scanner.bytesFetched();
        for (ScanRecord record : records) {
            String id = record.partitionId() + "-" + record.bucket();
            BucketSplit split = splits.get(id);
            if (split == null || record.offset() >= split.stopOffset || limitReached()) {
                continue;
            }
            GenericRowData row = converter.toFlink(record.row());
            RowKind kind = kind(record.changeType());
            if (source.merges()) {
                Map<List<Object>, GenericRowData> bucket = current.computeIfAbsent(record.bucket(),
                        b -> new java.util.HashMap<>());
                if (kind == RowKind.INSERT || kind == RowKind.UPDATE_AFTER) {
                    bucket.put(key(row), withMetadata(row, record));
                } else if (kind == RowKind.DELETE) {
                    bucket.put(key(row), null); // remembered, so that the lake's row of the key is dropped
                }
            } else if (source.changelogView) {
                emit(output.createOutputForSplit(id), changelogRow(record, row), record.commitTimestamp());
            } else {
                row.setRowKind(kind);
                emit(output.createOutputForSplit(id), project(withMetadata(row, record)), record.commitTimestamp());
            }
            next.put(id, record.offset() + 1);
        }
        // Offsets without rows (no-op markers) count as read: a split may end on one.
        splits.forEach((id, split) -> next.merge(id, scanner.position(split.partitionId, split.bucket), Math::max));
        return InputStatus.MORE_AVAILABLE;
    }

    /**
     * Emits a row through its split's own output, so that watermarks are generated per bucket (as
     * Kafka's are per partition) and a lagging bucket holds the watermark back.
     */
    private void emit(SourceOutput<RowData> output, RowData row, long timestamp) {
        if (timestamp == Long.MIN_VALUE) {
            output.collect(row);
        } else {
            output.collect(row, timestamp);
        }
        emitted++;
    }

    private boolean limitReached() {
        return source.limit >= 0 && emitted >= source.limit;
    }

    /** Reads on in the first lake split, at most {@link #LAKE_ROWS_PER_POLL} rows, so checkpoints pass in between. */
    private void readLake(ReaderOutput<RowData> output) {
        BucketSplit split = lakeSplits.peek();
        for (int n = 0; n < LAKE_ROWS_PER_POLL; n++) {
            GenericRowData row = limitReached() ? null : lake.next(split);
            if (row == null) {
                lake.closeRecords();
                lakeSplits.poll();
                output.releaseOutputForSplit(split.splitId());
                return;
            }
            // A merging read's hot changes of a key replace its lake row; the others pass straight through.
            Map<List<Object>, GenericRowData> hot = source.merges() ? current.get(split.bucket) : null;
            if (hot == null || !hot.containsKey(key(row))) {
                emit(output.createOutputForSplit(split.splitId()), project(row), lake.commitTimestamp());
            }
        }
    }

    private GenericRowData withMetadata(GenericRowData row, ScanRecord record) {
        return source.metadata.isEmpty() ? row
                : RowMetadata.append(row, source.metadata, record.commitTimestamp(), record.offset(), record.bucket());
    }

    /** The changelog view's row: change type, offset, commit time, then the columns; projected. */
    private GenericRowData changelogRow(ScanRecord record, GenericRowData row) {
        int width = 3 + row.getArity();
        int[] projection = source.projection;
        GenericRowData out = new GenericRowData(projection == null ? width : projection.length);
        for (int i = 0; i < out.getArity(); i++) {
            int field = projection == null ? i : projection[i];
            Object value;
            switch (field) {
                case 0:
                    value = StringData.fromString(record.changeType());
                    break;
                case 1:
                    value = record.offset();
                    break;
                case 2:
                    value = TimestampData.fromEpochMillis(record.commitTimestamp());
                    break;
                default:
                    value = row.getField(field - 3);
            }
            out.setField(i, value);
        }
        return out;
    }

    /** The row's key, comparable by value (binary values wrapped). */
    private List<Object> key(GenericRowData row) {
        List<Object> key = new ArrayList<>(source.primaryKey.length);
        for (int index : source.primaryKey) {
            Object value = row.getField(index);
            key.add(value instanceof byte[] ? java.nio.ByteBuffer.wrap((byte[]) value) : value);
        }
        return key;
    }

    /**
     * A row as emitted: the projected columns (of a row read whole, to be merged, or none of the
     * placeholder column a metadata-only read fetches), then its metadata. Rows the servers sent
     * projected pass as they are.
     */
    private RowData project(GenericRowData row) {
        int[] wanted = source.projection;
        boolean readProjected = source.readColumns() != null;
        if (wanted == null || (readProjected && wanted.length > 0)) {
            return row;
        }
        int columns = source.readType().fieldCount();
        GenericRowData projected = new GenericRowData(row.getRowKind(), wanted.length + row.getArity() - columns);
        for (int i = 0; i < wanted.length; i++) {
            projected.setField(i, row.getField(wanted[i]));
        }
        for (int i = columns; i < row.getArity(); i++) {
            projected.setField(wanted.length + i - columns, row.getField(i));
        }
        return projected;
    }

    private void finishReachedSplits(ReaderOutput<RowData> output) {
        for (var it = splits.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            BucketSplit split = entry.getValue();
            if (next.get(entry.getKey()) >= split.stopOffset) {
                scanner.unsubscribe(split.partitionId, split.bucket);
                next.remove(entry.getKey());
                it.remove();
                output.releaseOutputForSplit(entry.getKey());
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
        List<BucketSplit> state = new ArrayList<>(lakeSplits);
        if (lake != null && lake.isOpen()) {
            state.set(0, state.get(0).from(lake.rowsRead())); // the split being read, with the rows emitted
        }
        splits.forEach((id, split) -> {
            state.add(split.from(next.get(id)));
        });
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        boolean lakeReady = !lakeSplits.isEmpty() && (!source.merges() || noMoreSplits);
        return !splits.isEmpty() || lakeReady || noMoreSplits || limitReached() ? CompletableFuture.completedFuture(null)
                : available;
    }

    @Override
    public void addSplits(List<BucketSplit> added) {
        open();
        for (BucketSplit split : added) {
            if (split.isLake()) {
                lakeSplits.add(split);
                continue;
            }
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
        if (lake != null) {
            lake.close();
        }
        if (scanner != null) {
            scanner.close();
        }
        if (connection != null) {
            connection.close();
        }
    }
}
