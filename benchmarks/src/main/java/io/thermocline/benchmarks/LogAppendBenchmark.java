package io.thermocline.benchmarks;

import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.server.log.BucketLog;

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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Append throughput of the bucket log (validate, assign offsets, stamp, re-CRC, write, index)
 * against writing the same bytes with a raw {@link FileChannel} on the same disk. One operation
 * appends one batch of {@code rows} rows of about 1 KiB; MB/s = ops/s x batch size.
 *
 * <p>Two baselines: the plain write, and the plain write with the log's durability policy (a new
 * file per segment size, each closed file forced to disk on a background thread), so that the
 * second ratio isolates the log's own overhead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
public class LogAppendBenchmark {

    @Param({"256"})
    int rows;

    private MemoryLogRecords batch;
    private ByteBuffer raw;
    private Path dir;
    private BucketLog log;
    private FileChannel channel;
    private long rawPosition;
    private ExecutorService flusher;
    private int segmentBytes;
    private int rawFiles;

    @Setup(Level.Trial)
    public void buildBatch() {
        try (BufferAllocator allocator = new RootAllocator()) {
            batch = WideRows.batch(WideRows.rows(rows, 1), LogCompression.NONE, allocator);
        }
        raw = batch.buffer();
        flusher = Executors.newSingleThreadExecutor();
        segmentBytes = io.thermocline.server.log.LogConfig.defaults().segmentBytes();
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
        dir = BenchmarkDirs.create("tc-append");
        log = BucketLog.builder(dir.resolve("log"), new TableBucket(1, 0)).flushExecutor(flusher).open();
        channel = FileChannel.open(dir.resolve("raw.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        rawPosition = 0;
        rawFiles = 0;
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        log.close();
        channel.close();
        BenchmarkDirs.delete(dir);
    }

    @TearDown(Level.Trial)
    public void stopFlusher() {
        flusher.shutdown();
    }

    @Benchmark
    public long bucketLogAppend() {
        return log.appendAsLeader(batch, 0).lastOffset();
    }

    @Benchmark
    public long rawFileChannelWrite() throws IOException {
        ByteBuffer bytes = raw.duplicate();
        while (bytes.hasRemaining()) {
            rawPosition += channel.write(bytes, rawPosition);
        }
        return rawPosition;
    }

    @Benchmark
    public long rawFileChannelWriteRollingAndFsync() throws IOException {
        if (rawPosition + raw.remaining() > segmentBytes) {
            FileChannel closed = channel;
            flusher.execute(() -> {
                try {
                    closed.force(true);
                    closed.close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            channel = FileChannel.open(dir.resolve("raw-" + (++rawFiles) + ".bin"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            rawPosition = 0;
        }
        return rawFileChannelWrite();
    }

    /** Batch size in bytes, for turning ops/s into MB/s in the report. */
    public static int batchBytes(int rows) {
        try (BufferAllocator allocator = new RootAllocator()) {
            return WideRows.batch(WideRows.rows(rows, 1), LogCompression.NONE, allocator).sizeInBytes();
        }
    }
}
