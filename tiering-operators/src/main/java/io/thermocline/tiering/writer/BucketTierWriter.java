package io.thermocline.tiering.writer;

import io.thermocline.common.internal.kv.KeyEncoder;
import io.thermocline.common.internal.record.ChangeType;
import io.thermocline.common.internal.record.ColumnarBatch;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataField;
import io.thermocline.lake.LakeValues;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.parquet.compression.CompressionCodecFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one bucket's rows of one tiering round into Iceberg files: Parquet data files straight
 * from the Arrow vectors (rolled at the target file size) and, for a primary-key table, the
 * deletes its changelog implies. A {@code -U}/{@code -D} of a key written earlier in this round
 * becomes a position delete of that row (an equality delete would not reach rows of its own
 * commit); of any other key, an equality delete on the primary key, which removes the key's row
 * from earlier rounds. Not thread-safe.
 */
public final class BucketTierWriter implements AutoCloseable {
    private final Table lake;
    private final Schema hotSchema;
    private final List<DataField> hotFields;
    private final int bucket;
    private final StructLike partition;
    private final PartitionSpec spec;
    private final OutputFileFactory files;
    private final CompressionCodecFactory codecs;
    private final long targetFileBytes;
    private final long rowGroupBytes;
    private final String codec;

    private final List<DataFile> dataFiles = new ArrayList<>();
    private ArrowParquetWriter current;
    private int[] selection = new int[1024];

    // primary-key tables only
    private final KeyEncoder keyEncoder;
    private final InternalRow.FieldGetter[] keyGetters;
    private final io.thermocline.common.types.DataType[] keyTypes;
    private final org.apache.iceberg.Schema deleteSchema;
    /** Keys written this round, with where: the file (index into data files, or current) and position. */
    private final Map<ByteBuffer, long[]> writtenThisRound = new HashMap<>();
    private final List<long[]> positionDeletes = new ArrayList<>();
    private final List<String> finishedPaths = new ArrayList<>();
    private EqualityDeleteWriter<Record> equalityDeletes;
    private final int[] equalityFieldIds;

    public BucketTierWriter(Table lake, Schema hotSchema, int bucket, StructLike partition, OutputFileFactory files,
            CompressionCodecFactory codecs, long targetFileBytes, long rowGroupBytes) {
        this.lake = lake;
        this.hotSchema = hotSchema;
        this.hotFields = hotSchema.columns();
        this.bucket = bucket;
        this.partition = partition;
        this.spec = lake.spec();
        this.files = files;
        this.codecs = codecs;
        this.targetFileBytes = targetFileBytes;
        this.rowGroupBytes = rowGroupBytes;
        this.codec = lake.properties().getOrDefault(TableProperties.PARQUET_COMPRESSION, "zstd");
        if (hotSchema.hasPrimaryKey()) {
            int[] keys = hotSchema.primaryKeyIndexes();
            this.keyEncoder = new KeyEncoder(hotSchema.rowType(), keys);
            this.keyGetters = new InternalRow.FieldGetter[keys.length];
            this.keyTypes = new io.thermocline.common.types.DataType[keys.length];
            for (int i = 0; i < keys.length; i++) {
                keyTypes[i] = hotSchema.rowType().typeAt(keys[i]);
                keyGetters[i] = InternalRow.fieldGetter(keyTypes[i], keys[i]);
            }
            this.deleteSchema = lake.schema().select(hotSchema.primaryKey());
            this.equalityFieldIds = deleteSchema.columns().stream().mapToInt(f -> f.fieldId()).toArray();
        } else {
            this.keyEncoder = null;
            this.keyGetters = null;
            this.keyTypes = null;
            this.deleteSchema = null;
            this.equalityFieldIds = null;
        }
    }

    /** Writes the rows of {@code batch} whose offsets lie in {@code [from, to)}. */
    public void write(ColumnarBatch batch, long from, long to) {
        int first = (int) Math.max(0, from - batch.offset(0));
        int end = (int) Math.min(batch.recordCount(), to - batch.offset(0));
        if (end <= first) {
            return;
        }
        if (selection.length < end - first) {
            selection = new int[end - first];
        }
        ArrowParquetWriter writer = writer(batch);
        int count = 0;
        if (keyEncoder == null) {
            for (int row = first; row < end; row++) {
                selection[count++] = row;
            }
        } else {
            long nextPosition = writer.rows();
            for (int row = first; row < end; row++) {
                ChangeType change = batch.changeType(row);
                ByteBuffer key = ByteBuffer.wrap(keyEncoder.encode(batch.row(row)));
                if (change == ChangeType.INSERT || change == ChangeType.UPDATE_AFTER) {
                    selection[count++] = row;
                    writtenThisRound.put(key, new long[] {dataFiles.size(), nextPosition++});
                } else {
                    delete(key, batch.row(row));
                }
            }
        }
        writer.write(batch, hotFields, bucket, selection, count);
        if (writer.estimatedSize() >= targetFileBytes) {
            finishCurrent();
        }
    }

    private void delete(ByteBuffer key, InternalRow row) {
        long[] written = writtenThisRound.remove(key);
        if (written != null) {
            positionDeletes.add(written);
            return;
        }
        Record record = GenericRecord.create(deleteSchema);
        for (int i = 0; i < keyGetters.length; i++) {
            record.set(i, LakeValues.toRecordValue(keyTypes[i], keyGetters[i].get(row)));
        }
        if (equalityDeletes == null) {
            try {
                equalityDeletes = Parquet.writeDeletes(files.newOutputFile(spec, partition)).forTable(lake).withSpec(spec)
                        .withPartition(partition).rowSchema(deleteSchema).createWriterFunc(GenericParquetWriter::create)
                        .equalityFieldIds(equalityFieldIds).buildEqualityWriter();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create an equality delete file for bucket " + bucket, e);
            }
        }
        equalityDeletes.write(record);
    }

    private ArrowParquetWriter writer(ColumnarBatch first) {
        if (current == null) {
            current = new ArrowParquetWriter(files.newOutputFile(spec, partition).encryptingOutputFile(), hotSchema,
                    lake.schema(), spec, partition, lake.properties(), codecs, codec, rowGroupBytes, first);
        }
        return current;
    }

    private void finishCurrent() {
        if (current != null) {
            DataFile file = current.finish();
            dataFiles.add(file);
            finishedPaths.add(file.location());
            current = null;
        }
    }

    /** The files this bucket's round produced; the writer is done. */
    public Result finish() {
        finishCurrent();
        List<DeleteFile> deleteFiles = new ArrayList<>();
        try {
            if (equalityDeletes != null) {
                equalityDeletes.close();
                deleteFiles.add(equalityDeletes.toDeleteFile());
                equalityDeletes = null;
            }
            if (!positionDeletes.isEmpty()) {
                positionDeletes.sort(Comparator.<long[]>comparingLong(p -> p[0]).thenComparingLong(p -> p[1]));
                // Not forTable(): that would make the deletes carry whole rows.
                PositionDeleteWriter<Record> writer = Parquet.writeDeletes(files.newOutputFile(spec, partition))
                        .setAll(lake.properties()).metricsConfig(MetricsConfig.forPositionDelete(lake))
                        .withSpec(spec).withPartition(partition).overwrite().buildPositionWriter();
                PositionDelete<Record> delete = PositionDelete.create();
                try (writer) {
                    for (long[] position : positionDeletes) {
                        writer.write(delete.set(finishedPaths.get((int) position[0]), position[1], null));
                    }
                }
                deleteFiles.add(writer.toDeleteFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the delete files of bucket " + bucket, e);
        }
        return new Result(List.copyOf(dataFiles), deleteFiles);
    }

    /** The data and delete files of one bucket's round. */
    public record Result(List<DataFile> dataFiles, List<DeleteFile> deleteFiles) {}

    /** Abandons what is unfinished (its files become orphans, never referenced by a snapshot). */
    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
        if (equalityDeletes != null) {
            try {
                equalityDeletes.close();
            } catch (IOException e) {
                // abandoned anyway
            }
        }
    }
}
