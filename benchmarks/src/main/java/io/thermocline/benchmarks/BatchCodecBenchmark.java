package io.thermocline.benchmarks;

import io.thermocline.common.internal.record.ColumnarBatch;
import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordBatchBuilder;
import io.thermocline.common.internal.record.LogRecordReader;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.InternalRow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Rows per second through the batch builder (rows to serialized batch, reused vectors) and the
 * decoder (batch to Arrow vectors, then every field of every row read through the row view).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
public class BatchCodecBenchmark {
    private static final int ROWS = 1024;

    @Param({"NONE", "LZ4_FRAME", "ZSTD"})
    LogCompression compression;

    private BufferAllocator allocator;
    private List<GenericRow> rows;
    private LogRecordBatchBuilder builder;
    private LogRecordReader reader;
    private LogRecordBatch batch;

    @Setup(Level.Trial)
    public void setUp() {
        allocator = new RootAllocator();
        rows = WideRows.rows(ROWS, 3);
        builder = new LogRecordBatchBuilder(WideRows.ROW_TYPE, 1, compression, false, Integer.MAX_VALUE, allocator);
        reader = new LogRecordReader(null, WideRows.ROW_TYPE, allocator);
        MemoryLogRecords records = WideRows.batch(rows, compression, allocator);
        batch = records.batches().iterator().next();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        builder.close();
        reader.close();
        allocator.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public int build() {
        for (GenericRow row : rows) {
            builder.tryAppend(row);
        }
        return builder.build().sizeInBytes();
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void decode(Blackhole bh) {
        ColumnarBatch columnar = reader.read(batch);
        for (int i = 0; i < columnar.recordCount(); i++) {
            InternalRow row = columnar.row(i);
            for (int c = 0; c < 4; c++) {
                bh.consume(row.getLong(c));
            }
            for (int c = 4; c < 8; c++) {
                bh.consume(row.getInt(c));
            }
            bh.consume(row.getDouble(8));
            bh.consume(row.getDouble(9));
            for (int c = 10; c < 20; c++) {
                bh.consume(row.getString(c));
            }
        }
    }
}
