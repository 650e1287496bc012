package io.thermocline.benchmarks;

import io.thermocline.common.internal.record.ColumnarBatch;
import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordReader;
import io.thermocline.common.internal.record.LogRecords;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.internal.record.SchemaProjection;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.schema.SchemaLookup;
import io.thermocline.server.log.BucketLog;
import io.thermocline.server.log.FileLogRecords;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reading a whole bucket log (64 MiB of 1 KiB rows in 20 columns, page cache warm) into Arrow
 * vectors: all 20 columns, against 2 of them projected on the server side (only the chosen
 * buffers are read from the segment file) and decoded on the client side. The {@code *Bytes}
 * variants stop before decoding and show the server's share.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
public class ProjectedReadBenchmark {
    private static final TableBucket BUCKET = new TableBucket(1, 0);
    private static final int FETCH_BYTES = 1 << 20;

    @Param({"NONE", "LZ4_FRAME"})
    LogCompression compression;

    private Path dir;
    private BucketLog log;
    private BufferAllocator allocator;
    private LogRecordReader fullReader;
    private LogRecordReader projectedReader;
    private SchemaProjection projection;

    @Setup(Level.Trial)
    public void writeLog() {
        dir = BenchmarkDirs.create("tc-read");
        allocator = new RootAllocator();
        log = BucketLog.builder(dir, BUCKET).open();
        List<GenericRow> rows = WideRows.rows(256, 2);
        while (log.sizeInBytes() < (64L << 20)) {
            log.appendAsLeader(WideRows.batch(rows, compression, allocator), 0);
        }
        Schema schema = Schema.builder().fromFields(WideRows.ROW_TYPE.fields()).build(); // id 1, as the batches
        int[] columns = {0, 12};
        projection = new SchemaProjection(SchemaLookup.of(schema), schema, columns, BUCKET);
        fullReader = new LogRecordReader(BUCKET, WideRows.ROW_TYPE, allocator);
        projectedReader = new LogRecordReader(BUCKET, WideRows.ROW_TYPE.project(columns), allocator);
    }

    @TearDown(Level.Trial)
    public void deleteLog() {
        fullReader.close();
        projectedReader.close();
        log.close();
        allocator.close();
        BenchmarkDirs.delete(dir);
    }

    @Benchmark
    public void fullRead(Blackhole bh) {
        long offset = 0;
        while (offset < log.logEndOffset()) {
            for (LogRecordBatch batch : log.read(offset, FETCH_BYTES).records().batches()) {
                consume(fullReader.read(batch), bh);
                offset = batch.nextOffset();
            }
        }
    }

    @Benchmark
    public void projectedRead(Blackhole bh) {
        long offset = 0;
        while (offset < log.logEndOffset()) {
            LogRecords records = log.read(offset, FETCH_BYTES).records();
            MemoryLogRecords projected = ((FileLogRecords) records).project(projection);
            for (LogRecordBatch batch : projected.batches()) {
                consume(projectedReader.read(batch), bh);
                offset = batch.nextOffset();
            }
        }
    }

    @Benchmark
    public long fullReadBytes() {
        long offset = 0;
        long bytes = 0;
        while (offset < log.logEndOffset()) {
            for (LogRecordBatch batch : log.read(offset, FETCH_BYTES).records().batches()) {
                bytes += batch.sizeInBytes();
                offset = batch.nextOffset();
            }
        }
        return bytes;
    }

    @Benchmark
    public long projectedReadBytes() {
        long offset = 0;
        long bytes = 0;
        while (offset < log.logEndOffset()) {
            MemoryLogRecords projected = ((FileLogRecords) log.read(offset, FETCH_BYTES).records()).project(projection);
            for (LogRecordBatch batch : projected.batches()) {
                bytes += batch.sizeInBytes();
                offset = batch.nextOffset();
            }
        }
        return bytes;
    }

    private static void consume(ColumnarBatch batch, Blackhole bh) {
        bh.consume(batch.recordCount());
        bh.consume(batch.vectors().getVector(0).getValueCount());
    }
}
