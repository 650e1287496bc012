package io.thermocline.tiering.committer;

import io.thermocline.lake.LakeTableLayout;
import io.thermocline.lake.TieredOffsets;

import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps a lake table's file count bounded and its history finite (table option
 * {@code table.datalake.auto-maintenance}): after a round, each bucket it touched that has
 * gathered {@link #COMPACT_AT} small files is bin-packed into target-size files, and snapshots
 * past the retention are expired with the files only they reached.
 *
 * <p>In a log table only the small files are rewritten (their rows, found by their offset
 * ranges, live nowhere else). In a primary-key table the bucket's data files are rewritten
 * through Iceberg's reader, which applies the bucket's deletes; the deletes are then dropped.
 */
public final class LakeMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(LakeMaintenance.class);

    /** Small files a bucket may gather before they are packed. */
    public static final int COMPACT_AT = 8;

    private final long targetFileBytes;

    public LakeMaintenance(long targetFileBytes) {
        this.targetFileBytes = targetFileBytes;
    }

    /** Packs the buckets among {@code touched} (partition tuples) that need it, then expires old snapshots. */
    public void run(Table lake, boolean primaryKey, List<StructLike> touched, Duration snapshotRetention) {
        lake.refresh();
        Snapshot base = lake.currentSnapshot();
        if (base == null) {
            return;
        }
        for (StructLike partition : touched) {
            compact(lake, base, primaryKey, partition);
        }
        lake.expireSnapshots().expireOlderThan(System.currentTimeMillis() - snapshotRetention.toMillis()).retainLast(1)
                .commit();
    }

    /**
     * Packs one bucket's files as of snapshot {@code base}; false when it had too few small files, or
     * when a commit landed since {@code base} that the rewrite must not restate over.
     */
    public boolean compact(Table lake, Snapshot base, boolean primaryKey, StructLike partition) {
        Expression inBucket = partitionFilter(lake.spec(), lake.schema(), partition);
        Set<DataFile> data = new HashSet<>();
        Set<DeleteFile> deletes = new HashSet<>();
        List<DataFile> small = new ArrayList<>();
        // Column stats: a log table's small files are rewritten by their offset bounds.
        try (CloseableIterable<FileScanTask> tasks = lake.newScan().useSnapshot(base.snapshotId()).filter(inBucket)
                .includeColumnStats().planFiles()) {
            for (FileScanTask task : tasks) {
                if (!samePartition(task.file(), partition)) {
                    continue;
                }
                data.add(task.file());
                deletes.addAll(task.deletes());
                if (task.file().fileSizeInBytes() < targetFileBytes / 2) {
                    small.add(task.file());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (small.size() + deletes.size() < COMPACT_AT) {
            return false;
        }
        Set<DataFile> replaced;
        Expression rows;
        if (primaryKey) {
            replaced = data; // deletes may reach any of them: rewrite the bucket, deletes applied
            rows = inBucket;
        } else {
            replaced = new HashSet<>(small);
            rows = Expressions.alwaysFalse();
            for (DataFile file : small) {
                rows = Expressions.or(rows, Expressions.and(
                        Expressions.greaterThanOrEqual(LakeTableLayout.OFFSET_COLUMN, bound(lake, file, true)),
                        Expressions.lessThanOrEqual(LakeTableLayout.OFFSET_COLUMN, bound(lake, file, false))));
            }
            rows = Expressions.and(inBucket, rows);
        }
        List<DataFile> written = rewrite(lake, base, rows, partition);
        RewriteFiles rewrite = lake.newRewrite().validateFromSnapshot(base.snapshotId())
                .rewriteFiles(replaced, primaryKey ? deletes : Set.of(), new HashSet<>(written), Set.of());
        // The rewrite restates the newest tiered offsets, so that expiring older snapshots keeps them; only
        // while they are still the newest: restating them over a newer round would make it be tiered again.
        Optional<TieredOffsets> offsets = TieredOffsets.latest(lake, base).map(Map.Entry::getValue);
        offsets.ifPresent(o -> o.toSummary().forEach(rewrite::set));
        rewrite.validateWith(new NewestOffsetsAre(offsets.map(TieredOffsets::endOffsets).orElse(null),
                "compaction of " + lake.name() + " partition " + partition));
        try {
            rewrite.commit();
        } catch (ValidationException e) {
            LOG.info("Compaction of {} partition {} gave way to a commit made meanwhile: {}", lake.name(), partition,
                    e.getMessage());
            written.forEach(file -> lake.io().deleteFile(file.location()));
            return false;
        }
        LOG.info("Packed {} data and {} delete files of {} partition {} into {} files", replaced.size(),
                primaryKey ? deletes.size() : 0, lake.name(), partition, written.size());
        return true;
    }

    private List<DataFile> rewrite(Table lake, Snapshot base, Expression rows, StructLike partition) {
        OutputFileFactory files = OutputFileFactory.builderFor(lake, 0, base.snapshotId())
                .operationId("compact-" + UUID.randomUUID()).build();
        List<DataFile> written = new ArrayList<>();
        DataWriter<Record> writer = null;
        try (CloseableIterable<Record> records = IcebergGenerics.read(lake).useSnapshot(base.snapshotId()).where(rows)
                .build()) {
            for (Record record : records) {
                if (writer == null) {
                    writer = Parquet.writeData(files.newOutputFile(lake.spec(), partition)).forTable(lake)
                            .withSpec(lake.spec()).withPartition(partition).createWriterFunc(GenericParquetWriter::create)
                            .overwrite().build();
                }
                writer.write(record);
                if (writer.length() >= targetFileBytes) {
                    writer.close();
                    written.add(writer.toDataFile());
                    writer = null;
                }
            }
            if (writer != null) {
                writer.close();
                written.add(writer.toDataFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot compact " + lake.name() + " partition " + partition, e);
        }
        return written;
    }

    /** The rows of one bucket: its partition columns' values and its bucket number. */
    private static Expression partitionFilter(PartitionSpec spec, org.apache.iceberg.Schema schema, StructLike partition) {
        Expression filter = Expressions.alwaysTrue();
        List<PartitionField> fields = spec.fields();
        for (int i = 0; i < fields.size(); i++) {
            PartitionField field = fields.get(i);
            Object value = partition.get(i, Object.class);
            if (field.transform().isIdentity() && !schema.findColumnName(field.sourceId()).equals(
                    LakeTableLayout.BUCKET_COLUMN)) {
                filter = Expressions.and(filter, value == null ? Expressions.isNull(schema.findColumnName(field.sourceId()))
                        : Expressions.equal(schema.findColumnName(field.sourceId()), value));
            } else {
                filter = Expressions.and(filter, Expressions.equal(LakeTableLayout.BUCKET_COLUMN, value));
            }
        }
        return filter;
    }

    private static boolean samePartition(ContentFile<?> file, StructLike partition) {
        StructLike other = file.partition();
        for (int i = 0; i < partition.size(); i++) {
            if (!java.util.Objects.equals(other.get(i, Object.class), partition.get(i, Object.class))) {
                return false;
            }
        }
        return true;
    }

    private static long bound(Table lake, DataFile file, boolean lower) {
        int id = lake.schema().findField(LakeTableLayout.OFFSET_COLUMN).fieldId();
        Map<Integer, java.nio.ByteBuffer> bounds = lower ? file.lowerBounds() : file.upperBounds();
        return Conversions.fromByteBuffer(Types.LongType.get(), bounds.get(id));
    }
}
