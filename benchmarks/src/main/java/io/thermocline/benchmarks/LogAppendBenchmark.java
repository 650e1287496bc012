package io.thermocline.benchmarks;

import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.server.log.BucketLog;
import io.thermocline.server.log.LogConfig;

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
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Append throughput of the bucket log (validate, assign offsets, stamp, re-CRC, write, index,
 * roll, force rolled segments in the background) against writing the same bytes with a raw
 * {@link FileChannel}. One operation appends one batch of {@code rows} rows of about 1 KiB;
 * MB/s = ops/s x batch size.
 *
 * <p>Both sides roll files every {@value #SEGMENT_BYTES} bytes and keep at most {@value
 * #KEPT_SEGMENTS} of them, so that page-cache pressure stays constant across iterations (the log
 * through its own retention). Baselines: the raw write alone, and the raw write with the log's
 * durability policy (each rolled file forced on a background thread). {@code disk} writes to
 * the temp directory's disk, {@code memory} to tmpfs, where only the software path is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
public class LogAppendBenchmark {
    static final int SEGMENT_BYTES = 128 << 20;
    static final int KEPT_SEGMENTS = 4;

    @Param({"256"})
    int rows;

    @Param({"disk", "memory"})
    String storage;

    private MemoryLogRecords batch;
    private ByteBuffer raw;
    private Path dir;
    private BucketLog log;
    private FileChannel channel;
    private long rawPosition;
    private int rawFiles;
    private final ArrayDeque<Path> rawFileNames = new ArrayDeque<>();
    private ExecutorService flusher;

    @Setup(Level.Trial)
    public void buildBatch() {
        try (BufferAllocator allocator = new RootAllocator()) {
            batch = WideRows.batch(WideRows.rows(rows, 1), LogCompression.NONE, allocator);
        }
        raw = batch.buffer();
        flusher = Executors.newSingleThreadExecutor();
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
        Path root = storage.equals("memory") ? Paths.get("/dev/shm") : Paths.get(System.getProperty("java.io.tmpdir"));
        dir = Files.createTempDirectory(root, "tc-append");
        LogConfig d = LogConfig.defaults();
        LogConfig config = new LogConfig(SEGMENT_BYTES, d.segmentMaxAgeMs(), d.indexIntervalBytes(), d.maxBatchBytes(),
                (long) SEGMENT_BYTES * KEPT_SEGMENTS, 0, d.flushIntervalRecords(), d.flushIntervalMs());
        log = BucketLog.builder(dir.resolve("log"), new TableBucket(1, 0)).config(config).flushExecutor(flusher).open();
        rawFiles = 0;
        rawFileNames.clear();
        channel = newRawFile();
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
        long last = log.appendAsLeader(batch, 0).lastOffset();
        if (log.segmentCount() > KEPT_SEGMENTS + 1) {
            log.deleteExpiredSegments();
        }
        return last;
    }

    @Benchmark
    public long rawFileChannelWrite() throws IOException {
        return writeRaw(false);
    }

    @Benchmark
    public long rawFileChannelWriteAndFsync() throws IOException {
        return writeRaw(true);
    }

    private long writeRaw(boolean forceRolledFiles) throws IOException {
        if (rawPosition + raw.remaining() > SEGMENT_BYTES) {
            FileChannel rolled = channel;
            if (forceRolledFiles) {
                flusher.execute(() -> forceAndClose(rolled));
            } else {
                rolled.close();
            }
            channel = newRawFile();
            if (rawFileNames.size() > KEPT_SEGMENTS + 1) {
                Files.delete(rawFileNames.removeFirst());
            }
        }
        ByteBuffer bytes = raw.duplicate();
        while (bytes.hasRemaining()) {
            rawPosition += channel.write(bytes, rawPosition);
        }
        return rawPosition;
    }

    private FileChannel newRawFile() throws IOException {
        Path file = dir.resolve("raw-" + (rawFiles++) + ".bin");
        rawFileNames.addLast(file);
        rawPosition = 0;
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private static void forceAndClose(FileChannel file) {
        try {
            file.force(true);
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Batch size in bytes, for turning ops/s into MB/s in the report. */
    public static int batchBytes(int rows) {
        try (BufferAllocator allocator = new RootAllocator()) {
            return WideRows.batch(WideRows.rows(rows, 1), LogCompression.NONE, allocator).sizeInBytes();
        }
    }
}
