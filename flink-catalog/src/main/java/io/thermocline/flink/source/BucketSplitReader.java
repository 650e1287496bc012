package io.thermocline.flink.source;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.RowConverter;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.lake.LakeTableLayout;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.types.RowKind;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

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
    private final LakeRowConverter lakeRows;
    /** Set for a bounded read of a primary-key table: rows are merged per bucket and key, emitted at the end. */
    private final ThermoclineSource.Merge merge;
    private final ThermoclineSource.ChangelogView changelogView;
    private final Map<Integer, Map<List<Object>, GenericRowData>> current = new java.util.HashMap<>();
    /** Open splits by split id, with the next offset to emit. */
    private final Map<String, BucketSplit> splits = new LinkedHashMap<>();
    private final Map<String, Long> next = new LinkedHashMap<>();
    /** Lake splits not read yet; each is read whole in one poll. */
    private final java.util.ArrayDeque<BucketSplit> lakeSplits = new java.util.ArrayDeque<>();
    private Connection connection;
    private LogScanner scanner;
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    BucketSplitReader(SourceReaderContext context, Map<String, String> clientOptions, TablePath path, int[] projection,
            RowType readType, ThermoclineSource.Merge merge, ThermoclineSource.ChangelogView changelogView) {
        this.context = context;
        this.clientOptions = clientOptions;
        this.path = path;
        this.projection = projection;
        this.readType = readType;
        this.converter = new RowConverter(readType);
        this.lakeRows = new LakeRowConverter(readType);
        this.merge = merge;
        this.changelogView = changelogView;
    }

    @Override
    public void start() {
        connection = ConnectionFactory.create(new Configuration(clientOptions));
        Table table = connection.table(path);
        scanner = projection == null ? table.newLogScanner() : table.newLogScanner(projection);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RowData> output) {
        if (!lakeSplits.isEmpty()) {
            readLake(lakeSplits.peek(), output);
            lakeSplits.poll();
            return InputStatus.MORE_AVAILABLE;
        }
        finishReachedSplits();
        if (splits.isEmpty()) {
            if (noMoreSplits && merge != null && !current.isEmpty()) {
                current.values().forEach(rows -> rows.values().forEach(row -> output.collect(project(row))));
                current.clear();
            }
            return noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }
        for (ScanRecord record : scanner.poll(POLL)) {
            String id = record.partitionId() + "-" + record.bucket();
            BucketSplit split = splits.get(id);
            if (split == null || record.offset() >= split.stopOffset) {
                continue;
            }
            GenericRowData row = converter.toFlink(record.row());
            RowKind kind = kind(record.changeType());
            if (merge != null) {
                Map<List<Object>, GenericRowData> bucket = current.computeIfAbsent(record.bucket(),
                        b -> new java.util.HashMap<>());
                if (kind == RowKind.INSERT || kind == RowKind.UPDATE_AFTER) {
                    bucket.put(key(row), row);
                } else if (kind == RowKind.DELETE) {
                    bucket.remove(key(row));
                }
            } else if (changelogView != null) {
                output.collect(changelogRow(record, row), record.commitTimestamp());
            } else {
                row.setRowKind(kind);
                output.collect(row, record.commitTimestamp());
            }
            next.put(id, record.offset() + 1);
        }
        return InputStatus.MORE_AVAILABLE;
    }

    /** Bucket number {@code split.bucket} of every partition, as the lake snapshot holds it (deletes applied). */
    private void readLake(BucketSplit split, ReaderOutput<RowData> output) {
        TableInfo info = connection.admin().getTable(path).join();
        LakeTableLayout layout = new LakeTableLayout(path, info.tableId(), info.schema(), info.partitionKeys(),
                info.bucketKeys(), info.bucketCount());
        try (LakeCatalog catalog = new LakeCatalog(clientOptions);
                CloseableIterable<Record> records = IcebergGenerics.read(catalog.loadTable(layout))
                        .useSnapshot(split.lakeSnapshotId)
                        .where(Expressions.equal(LakeTableLayout.BUCKET_COLUMN, split.bucket))
                        .select(readType.fieldNames())
                        .build()) {
            for (Record record : records) {
                GenericRowData row = lakeRows.toFlink(record);
                if (merge != null) {
                    current.computeIfAbsent(split.bucket, b -> new java.util.HashMap<>()).put(key(row), row);
                } else {
                    output.collect(row);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + split + " of " + path, e);
        }
    }

    /** The changelog view's row: change type, offset, commit time, then the columns; projected. */
    private GenericRowData changelogRow(ScanRecord record, GenericRowData row) {
        int width = 3 + row.getArity();
        int[] projection = changelogView.projection();
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
        List<Object> key = new ArrayList<>(merge.key().length);
        for (int index : merge.key()) {
            Object value = row.getField(index);
            key.add(value instanceof byte[] ? java.nio.ByteBuffer.wrap((byte[]) value) : value);
        }
        return key;
    }

    private RowData project(GenericRowData row) {
        if (merge.projection() == null) {
            return row;
        }
        GenericRowData projected = new GenericRowData(merge.projection().length);
        for (int i = 0; i < merge.projection().length; i++) {
            projected.setField(i, row.getField(merge.projection()[i]));
        }
        return projected;
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
        List<BucketSplit> state = new ArrayList<>(lakeSplits);
        splits.forEach((id, split) -> {
            state.add(split.from(next.get(id)));
        });
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return !splits.isEmpty() || !lakeSplits.isEmpty() || noMoreSplits ? CompletableFuture.completedFuture(null)
                : available;
    }

    @Override
    public void addSplits(List<BucketSplit> added) {
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
        if (scanner != null) {
            scanner.close();
        }
        if (connection != null) {
            connection.close();
        }
    }
}
