package io.thermocline.benchmarks;

import io.thermocline.common.internal.record.ColumnarBatch;
import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordReader;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataField;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.lake.LakeTableLayout;
import io.thermocline.lake.LakeValues;
import io.thermocline.tiering.writer.ArrowParquetWriter;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.parquet.hadoop.CodecFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The tiering job's write path, rows per second: the same decoded log batches (1 KiB rows in 20
 * columns) into one Parquet data file of a real Iceberg table, either straight from the Arrow
 * vectors ({@link ArrowParquetWriter}) or converted to Iceberg generic records and written with
 * Iceberg's generic Parquet writer. Both use the table's codec (zstd) and write the same rows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
public class LakeWriterBenchmark {
    static final int BATCHES = 16;
    static final int ROWS_PER_BATCH = 1024;
    static final int ROWS = BATCHES * ROWS_PER_BATCH;

    private Path warehouse;
    private LakeCatalog catalog;
    private Table table;
    private Schema hotSchema;
    private BufferAllocator allocator;
    private LogRecordReader reader;
    private List<LogRecordBatch> batches;
    private CodecFactory codecs;
    private OutputFileFactory files;
    private int[] allRows;
    private InternalRow.FieldGetter[] getters;

    @Setup(Level.Trial)
    public void setUp() {
        warehouse = BenchmarkDirs.create("lake-writer");
        catalog = new LakeCatalog(Map.of("lake.catalog.warehouse", warehouse.toString()));
        hotSchema = Schema.builder().fromFields(WideRows.ROW_TYPE.fields()).build();
        table = catalog.createTable(new LakeTableLayout(TablePath.of("bench", "wide"), 1, hotSchema, List.of(), List.of(), 1));
        allocator = new RootAllocator();
        reader = new LogRecordReader(null, WideRows.ROW_TYPE, allocator);
        batches = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
            batches.add(WideRows.batch(WideRows.rows(ROWS_PER_BATCH, i), LogCompression.NONE, allocator).batches()
                    .iterator().next());
        }
        codecs = new CodecFactory(new org.apache.hadoop.conf.Configuration(), 1 << 20);
        files = OutputFileFactory.builderFor(table, 0, 0).format(FileFormat.PARQUET)
                .operationId(UUID.randomUUID().toString()).build();
        allRows = new int[ROWS_PER_BATCH];
        for (int i = 0; i < allRows.length; i++) {
            allRows[i] = i;
        }
        List<DataField> fields = hotSchema.columns();
        getters = new InternalRow.FieldGetter[fields.size()];
        for (int i = 0; i < getters.length; i++) {
            getters[i] = InternalRow.fieldGetter(fields.get(i).type(), i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reader.close();
        allocator.close();
        codecs.release();
        catalog.close();
        BenchmarkDirs.delete(warehouse);
    }

    /** Column by column from the vectors into Parquet's column writers. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long arrowToParquet() {
        PartitionSpec spec = table.spec();
        StructLike partition = partition(0);
        try (ArrowParquetWriter writer = new ArrowParquetWriter(files.newOutputFile(spec, partition).encryptingOutputFile(),
                hotSchema, table.schema(), spec, partition, table.properties(), codecs, "zstd", 32 << 20,
                reader.read(batches.get(0)))) {
            for (LogRecordBatch batch : batches) {
                ColumnarBatch rows = reader.read(batch);
                writer.write(rows, hotSchema.columns(), 0, allRows, rows.recordCount());
            }
            return writer.finish().fileSizeInBytes();
        }
    }

    /** Each row converted to an Iceberg generic record, written by Iceberg's generic Parquet writer. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long genericRecords() throws IOException {
        PartitionSpec spec = table.spec();
        StructLike partition = partition(0);
        DataWriter<Record> writer = Parquet.writeData(files.newOutputFile(spec, partition)).forTable(table)
                .withSpec(spec).withPartition(partition).createWriterFunc(GenericParquetWriter::create).overwrite()
                .build();
        org.apache.iceberg.Schema schema = table.schema();
        int columns = getters.length;
        long offset = 0;
        try (writer) {
            for (LogRecordBatch batch : batches) {
                ColumnarBatch rows = reader.read(batch);
                long commitMicros = rows.commitTimestamp() * 1000;
                for (int r = 0; r < rows.recordCount(); r++) {
                    InternalRow row = rows.row(r);
                    Record record = GenericRecord.create(schema);
                    for (int c = 0; c < columns; c++) {
                        record.set(c, LakeValues.toRecordValue(hotSchema.columns().get(c).type(), getters[c].get(row)));
                    }
                    record.set(columns, 0);
                    record.set(columns + 1, offset++);
                    record.set(columns + 2, java.time.OffsetDateTime.ofInstant(
                            java.time.Instant.EPOCH.plusNanos(commitMicros * 1000), java.time.ZoneOffset.UTC));
                    writer.write(record);
                }
            }
        }
        return writer.toDataFile().fileSizeInBytes();
    }

    private StructLike partition(int bucket) {
        GenericRecord tuple = GenericRecord.create(table.spec().partitionType());
        tuple.set(0, bucket);
        return tuple;
    }

    /** Bytes of the hot tier's batches per row, for MB/s. */
    static double hotBytesPerRow() {
        try (BufferAllocator allocator = new RootAllocator()) {
            return WideRows.batch(WideRows.rows(ROWS_PER_BATCH, 0), LogCompression.NONE, allocator).sizeInBytes()
                    / (double) ROWS_PER_BATCH;
        }
    }
}
