package io.thermocline.flink.source;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.exception.LakeException;
import io.thermocline.flink.LakeAccess;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.lake.LakeTableLayout;

import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.table.data.GenericRowData;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.PartitionUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Reads lake splits, one at a time and a few rows per call: bucket number {@code split.bucket} of
 * every partition, as the lake snapshot holds it (deletes applied), as Flink rows of the read's
 * columns with its metadata. A split's {@code startOffset} counts rows already emitted, so a
 * restored read skips them: the split's files are read one after the other in the order of their
 * paths, never in the order Iceberg plans them (in parallel once a snapshot has several
 * manifests), so every read of a split yields its rows in the same order.
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

    /**
     * The next row of {@code split}, opening it first; null at its end, which closes it. A lake
     * that cannot be read (its catalog or object store unreachable, say) fails the job at once,
     * naming the lake: restarting would read the same lake, and a query would hang restarting.
     */
    GenericRowData next(BucketSplit split) {
        try {
            return readNext(split);
        } catch (SuppressRestartsException e) {
            throw e;
        } catch (RuntimeException e) {
            String lake = catalog == null ? "its lake" : catalog.describe();
            throw new SuppressRestartsException(new LakeException("Table " + source.path + ": cannot read its lake rows"
                    + " from " + lake + ": " + e.getMessage(), e));
        }
    }

    private GenericRowData readNext(BucketSplit split) {
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
            catalog = new LakeCatalog(LakeAccess.optionsFor(admin, source.path, source.clientOptions));
        }
        Table table = catalog.loadTable(layout);
        TableScan scan = table.newScan().useSnapshot(split.lakeSnapshotId).filter(where(split)).select(columns());
        List<FileScanTask> tasks = new ArrayList<>();
        try (CloseableIterable<FileScanTask> planned = scan.planFiles()) {
            planned.forEach(tasks::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot plan the lake read of " + source.path + " " + split, e);
        }
        tasks.sort(Comparator.comparing((FileScanTask task) -> task.file().location())
                .thenComparingLong(FileScanTask::start));
        Schema projection = scan.schema(); // the columns read and those the filter's residuals need
        // Each file is opened when the read reaches it.
        Iterable<CloseableIterable<Record>> files = () -> tasks.stream().map(task -> read(table, task, projection))
                .iterator();
        records = CloseableIterable.concat(files);
        iterator = records.iterator();
        rowsRead = 0;
        while (rowsRead < split.startOffset && iterator.hasNext()) {
            iterator.next();
            rowsRead++;
        }
    }

    /** One file's rows of the projection, its deletes and the filter's residual applied, in file order. */
    private static CloseableIterable<Record> read(Table table, FileScanTask task, Schema projection) {
        GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, table.schema(), projection);
        Schema required = deletes.requiredSchema();
        CloseableIterable<Record> rows = FormatModelRegistry.<Record, Object>readBuilder(task.file().format(),
                        Record.class, table.io().newInputFile(task.file()))
                .project(required)
                .idToConstant(PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant))
                .split(task.start(), task.length())
                .filter(task.residual())
                .build();
        rows = deletes.filter(rows);
        if (task.residual() == null || task.residual().equals(Expressions.alwaysTrue())) {
            return rows;
        }
        Evaluator residual = new Evaluator(required.asStruct(), task.residual(), true);
        InternalRecordWrapper wrapper = new InternalRecordWrapper(required.asStruct());
        return CloseableIterable.filter(rows, record -> residual.eval(wrapper.wrap(record)));
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
