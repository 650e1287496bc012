package io.thermocline.flink.source;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.TableInfo;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.lake.LakeTableLayout;

import org.apache.flink.table.data.GenericRowData;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads lake splits, one at a time and a few rows per call: bucket number {@code split.bucket} of
 * every partition, as the lake snapshot holds it (deletes applied), as Flink rows of the read's
 * columns with its metadata. A split's {@code startOffset} counts rows already emitted; the
 * snapshot reads in the same order every time, so a restored read skips them.
 */
final class LakeSplitRead implements AutoCloseable {
    private final ThermoclineSource source;
    private final Admin admin;
    private final LakeRowConverter converter;
    private LakeCatalog catalog;
    private CloseableIterable<Record> records;
    private Iterator<Record> iterator;
    private long rowsRead;
    private long commitTimestamp;

    LakeSplitRead(ThermoclineSource source, Admin admin) {
        this.source = source;
        this.admin = admin;
        this.converter = new LakeRowConverter(source.readType());
    }

    /** Whether a split is open (its read has begun and not ended). */
    boolean isOpen() {
        return records != null;
    }

    /** The rows of the open split read so far, counting those a restore skipped. */
    long rowsRead() {
        return rowsRead;
    }

    /** The commit time of the row {@link #next} returned last: its event time. */
    long commitTimestamp() {
        return commitTimestamp;
    }

    /** The next row of {@code split}, opening it first; null at its end, which closes it. */
    GenericRowData next(BucketSplit split) {
        if (records == null) {
            open(split);
        }
        if (!iterator.hasNext()) {
            closeRecords();
            return null;
        }
        Record record = iterator.next();
        rowsRead++;
        commitTimestamp = ((java.time.OffsetDateTime) record.getField(LakeTableLayout.TIMESTAMP_COLUMN)).toInstant()
                .toEpochMilli();
        GenericRowData row = converter.toFlink(record);
        return source.metadata.isEmpty() ? row : RowMetadata.append(row, source.metadata, record);
    }

    private void open(BucketSplit split) {
        TableInfo info = admin.getTable(source.path).join();
        LakeTableLayout layout = new LakeTableLayout(source.path, info.tableId(), info.schema(), info.partitionKeys(),
                info.bucketKeys(), info.bucketCount());
        if (catalog == null) {
            catalog = new LakeCatalog(source.clientOptions);
        }
        records = IcebergGenerics.read(catalog.loadTable(layout)).useSnapshot(split.lakeSnapshotId)
                .where(where(split)).select(columns()).build();
        iterator = records.iterator();
        rowsRead = 0;
        while (rowsRead < split.startOffset && iterator.hasNext()) {
            iterator.next();
            rowsRead++;
        }
    }

    private org.apache.iceberg.expressions.Expression where(BucketSplit split) {
        org.apache.iceberg.expressions.Expression where = Expressions.equal(LakeTableLayout.BUCKET_COLUMN, split.bucket);
        if (source.lakeFilter != null) {
            where = Expressions.and(where, source.lakeFilter);
        }
        return source.commitTimes == null ? where : Expressions.and(where, source.commitTimes.lakeFilter());
    }

    /** The columns read: the read's, the commit time (the rows' event time), and the system columns metadata needs. */
    private List<String> columns() {
        List<String> columns = new ArrayList<>(source.readType().fieldNames());
        columns.add(LakeTableLayout.TIMESTAMP_COLUMN);
        if (!source.metadata.isEmpty()) {
            columns.addAll(List.of(LakeTableLayout.OFFSET_COLUMN, LakeTableLayout.BUCKET_COLUMN));
        }
        return columns;
    }

    /** Ends the open split's read early (a limit was reached). */
    void closeRecords() {
        if (records != null) {
            try {
                records.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close the lake read of " + source.path, e);
            }
            records = null;
            iterator = null;
        }
    }

    @Override
    public void close() {
        closeRecords();
        if (catalog != null) {
            catalog.close();
        }
    }
}
