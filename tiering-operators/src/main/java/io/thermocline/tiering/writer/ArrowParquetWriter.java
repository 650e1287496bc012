package io.thermocline.tiering.writer;

import io.thermocline.common.internal.record.ColumnarBatch;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataField;
import io.thermocline.lake.LakeTableLayout;

import org.apache.arrow.vector.FieldVector;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes one Iceberg data file in Parquet straight from decoded log batches: for each batch, each
 * column's values go from its Arrow vector into Parquet's column writer, column after column,
 * without building rows. Row groups close at {@code rowGroupBytes}. Not thread-safe.
 */
public final class ArrowParquetWriter implements AutoCloseable {
    private final OutputFile file;
    private final org.apache.iceberg.Schema lakeSchema;
    private final PartitionSpec spec;
    private final StructLike partition;
    private final MetricsConfig metricsConfig;
    private final long rowGroupBytes;
    private final MessageType parquetSchema;
    private final ColumnDescriptor[] columns;
    /** Per lake column: the hot column it comes from, or a {@code SYSTEM_*} marker, or {@link #ABSENT}. */
    private final int[] sources;
    private final ParquetProperties properties;
    private final CompressionCodecFactory.BytesInputCompressor compressor;
    private final ParquetFileWriter writer;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore store;
    private long rowsInGroup;
    private long rows;
    private ParquetMetadata footer;

    private static final int SYSTEM_BUCKET = -1;
    private static final int SYSTEM_OFFSET = -2;
    private static final int SYSTEM_TIMESTAMP = -3;
    private static final int ABSENT = -4;

    /**
     * @param hotSchema the hot table's schema the batches are decoded with
     * @param lakeSchema the Iceberg table's current schema; columns are matched by name
     * @param sample the first batch to be written, if known: columns whose values there are mostly
     *     distinct are written without a dictionary (Parquet would build one, then fall back)
     */
    public ArrowParquetWriter(OutputFile file, Schema hotSchema, org.apache.iceberg.Schema lakeSchema, PartitionSpec spec,
            StructLike partition, Map<String, String> tableProperties, CompressionCodecFactory codecs,
            String codec, long rowGroupBytes, ColumnarBatch sample) {
        this.file = file;
        this.lakeSchema = lakeSchema;
        this.spec = spec;
        this.partition = partition;
        this.metricsConfig = MetricsConfig.fromProperties(tableProperties);
        this.rowGroupBytes = rowGroupBytes;
        this.parquetSchema = ParquetSchemaUtil.convert(lakeSchema, "table");
        List<ColumnDescriptor> descriptors = parquetSchema.getColumns();
        this.columns = descriptors.toArray(new ColumnDescriptor[0]);
        List<Types.NestedField> fields = lakeSchema.columns();
        this.sources = new int[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.get(i).name();
            switch (name) {
                case LakeTableLayout.BUCKET_COLUMN:
                    sources[i] = SYSTEM_BUCKET;
                    break;
                case LakeTableLayout.OFFSET_COLUMN:
                    sources[i] = SYSTEM_OFFSET;
                    break;
                case LakeTableLayout.TIMESTAMP_COLUMN:
                    sources[i] = SYSTEM_TIMESTAMP;
                    break;
                default:
                    sources[i] = hotSchema.column(name).isPresent() ? hotSchema.columnIndex(name) : ABSENT;
            }
        }
        ParquetProperties.Builder props = ParquetProperties.builder()
                .withPageSize(1 << 20)
                .withDictionaryPageSize(1 << 20)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                // Offsets never repeat: a dictionary for them is built only to be thrown away.
                .withDictionaryEncoding(LakeTableLayout.OFFSET_COLUMN, false);
        if (sample != null) {
            List<FieldVector> vectors = sample.vectors().getFieldVectors();
            for (int i = 0; i < fields.size(); i++) {
                if (sources[i] >= 0 && mostlyDistinct(vectors.get(sources[i]), sample.recordCount())) {
                    props.withDictionaryEncoding(fields.get(i).name(), false);
                }
            }
        }
        this.properties = props.build();
        this.compressor = codecs.getCompressor(org.apache.parquet.hadoop.metadata.CompressionCodecName.fromConf(codec));
        try {
            this.writer = new ParquetFileWriter(new ParquetOutput(file), parquetSchema, ParquetFileWriter.Mode.CREATE,
                    rowGroupBytes, 0, null, properties);
            writer.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + file.location(), e);
        }
        startRowGroup();
    }

    private static final int SAMPLE_ROWS = 512;

    /** Whether most of the first rows hold different values: a dictionary would not pay. */
    private static boolean mostlyDistinct(FieldVector vector, int rows) {
        int sampled = Math.min(rows, SAMPLE_ROWS);
        if (sampled < 64) {
            return false;
        }
        java.util.Set<Integer> hashes = new java.util.HashSet<>();
        for (int i = 0; i < sampled; i++) {
            hashes.add(vector.hashCode(i));
        }
        return hashes.size() > sampled / 2;
    }

    private void startRowGroup() {
        pages = new ColumnChunkPageWriteStore(compressor, parquetSchema, properties.getAllocator(),
                properties.getColumnIndexTruncateLength(), properties.getPageWriteChecksumEnabled());
        store = properties.newColumnWriteStore(parquetSchema, pages, pages);
        rowsInGroup = 0;
    }

    /**
     * Appends rows {@code rows[0..count)} of a batch; {@code hotFields} are the batch's columns.
     *
     * @return the position in this file of the first row written
     */
    public long write(ColumnarBatch batch, List<DataField> hotFields, int bucket, int[] rows, int count) {
        long first = this.rows;
        if (count == 0) {
            return first;
        }
        List<FieldVector> vectors = batch.vectors().getFieldVectors();
        long baseOffset = batch.offset(0);
        long commitMicros = batch.commitTimestamp() * 1000;
        for (int c = 0; c < columns.length; c++) {
            boolean optional = columns[c].getMaxDefinitionLevel() > 0;
            ColumnSource source;
            switch (sources[c]) {
                case SYSTEM_BUCKET:
                    source = ColumnSource.constantInt(bucket);
                    break;
                case SYSTEM_OFFSET:
                    source = ColumnSource.offsets(baseOffset);
                    break;
                case SYSTEM_TIMESTAMP:
                    source = ColumnSource.constantLong(commitMicros);
                    break;
                case ABSENT:
                    source = ColumnSource.nulls();
                    break;
                default:
                    source = ColumnSource.of(hotFields.get(sources[c]).type(), vectors.get(sources[c]), optional);
            }
            source.write(store.getColumnWriter(columns[c]), rows, count);
        }
        for (int i = 0; i < count; i++) {
            store.endRecord();
        }
        this.rows += count;
        rowsInGroup += count;
        if (store.getBufferedSize() >= rowGroupBytes) {
            flushRowGroup();
            startRowGroup();
        }
        return first;
    }

    public long rows() {
        return rows;
    }

    /** Bytes written so far plus those buffered in the open row group. */
    public long estimatedSize() {
        try {
            return writer.getPos() + store.getBufferedSize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String location() {
        return file.location();
    }

    private void flushRowGroup() {
        try {
            if (rowsInGroup > 0) {
                writer.startBlock(rowsInGroup);
                store.flush();
                pages.flushToFileWriter(writer);
                writer.endBlock();
            }
            store.close();
            pages.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a row group of " + file.location(), e);
        }
    }

    /** Finishes the file and describes it as an Iceberg data file, with column metrics from its footer. */
    public DataFile finish() {
        flushRowGroup();
        try {
            writer.end(Map.of());
            footer = writer.getFooter();
            long size = writer.getPos();
            Metrics metrics = ParquetUtil.footerMetrics(footer, Stream.empty(), metricsConfig);
            return DataFiles.builder(spec)
                    .withPath(file.location())
                    .withFormat(FileFormat.PARQUET)
                    .withFileSizeInBytes(size)
                    .withMetrics(metrics)
                    .withSplitOffsets(ParquetUtil.getSplitOffsets(footer))
                    .withPartition(partition)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot finish " + file.location(), e);
        }
    }

    /** Abandons an unfinished file. */
    @Override
    public void close() {
        if (footer == null) {
            try {
                writer.close();
            } catch (IOException | RuntimeException e) {
                // abandoned anyway
            }
        }
    }
}
