package io.thermocline.server.tools;

import io.thermocline.common.internal.record.BatchProjection;
import io.thermocline.common.internal.record.ColumnarBatch;
import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordBatchBuilder;
import io.thermocline.common.internal.record.LogRecordReader;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.TimestampLtz;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.log.BucketLog;
import io.thermocline.server.log.LogDump;
import io.thermocline.server.log.LogAppendInfo;
import io.thermocline.server.log.LogReadInfo;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Random;

/**
 * Command-line access to the storage engine alone: {@code demo-log} writes and reads a demo
 * bucket log in a data directory (a second run continues it), {@code
 * dump-log} prints and validates every batch of a bucket log directory without changing it.
 */
public final class LogTool {
    private static final Schema ORDERS = Schema.builder()
            .column("order_id", DataTypes.BIGINT())
            .column("customer_id", DataTypes.BIGINT())
            .column("amount", DataTypes.DECIMAL(12, 2))
            .column("status", DataTypes.STRING())
            .column("created_at", DataTypes.TIMESTAMP_LTZ(3))
            .build();

    private final PrintStream out;

    private LogTool(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        LogTool tool = new LogTool(System.out);
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "local":
                tool.local(Paths.get(option(args, "--data-dir", "data")));
                break;
            case "dump-log":
                if (args.length < 2) {
                    usage();
                    System.exit(2);
                }
                tool.dumpLog(Paths.get(args[1]));
                break;
            default:
                usage();
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static void usage() {
        System.out.println("Usage: thermocline demo-log [--data-dir DIR]   write and read a demo bucket log");
        System.out.println("       thermocline dump-log DIR              print and validate a bucket log");
    }

    private void local(Path dataDir) {
        Path logDir = dataDir.resolve("demo").resolve("orders-0");
        TableBucket bucket = new TableBucket(0, 0);
        out.println("Thermocline demo-log: the storage engine alone, one bucket log");
        out.println("  data directory: " + dataDir.toAbsolutePath());
        out.println("  table orders:   " + ORDERS);
        try (BufferAllocator allocator = new RootAllocator();
                BucketLog log = BucketLog.builder(logDir, bucket).open();
                LogRecordBatchBuilder builder = new LogRecordBatchBuilder(
                        ORDERS.rowType(), ORDERS.schemaId(), LogCompression.LZ4_FRAME, false, 256 * 1024, allocator)) {
            long start = log.logEndOffset();
            out.println("  log opened at offset " + start + (start > 0 ? " (data from an earlier run kept)" : ""));
            Random random = new Random();
            LogAppendInfo last = null;
            for (int batch = 0; batch < 10; batch++) {
                for (int i = 0; i < 1000; i++) {
                    long id = start + batch * 1000L + i;
                    builder.tryAppend(GenericRow.of(id, (long) random.nextInt(10_000),
                            BigDecimal.valueOf(random.nextInt(1_000_000), 2),
                            BinaryString.fromString(random.nextBoolean() ? "PAID" : "SHIPPED"),
                            TimestampLtz.fromInstant(Instant.now())));
                }
                last = log.appendAsLeader(builder.build(), 0);
            }
            out.printf("  appended 10 batches of 1000 rows: offsets %d to %d, committed at %s%n",
                    start, last.lastOffset(), Instant.ofEpochMilli(last.commitTimestamp()));
            out.printf("  log: %d segment(s), %d bytes, offsets %d..%d%n",
                    log.segmentCount(), log.sizeInBytes(), log.logStartOffset(), log.logEndOffset());

            LogReadInfo read = log.read(last.firstOffset(), 1 << 20);
            LogRecordBatch full = read.records().batches().iterator().next();
            BatchProjection projection = new BatchProjection(ORDERS.rowType(), new int[] {0, 2}, bucket);
            MemoryLogRecords projected = projection.project(full);
            out.printf("  last batch: %d bytes; projected to (order_id, amount): %d bytes, decoded without the rest:%n",
                    full.sizeInBytes(), projected.sizeInBytes());
            try (LogRecordReader reader = new LogRecordReader(bucket, projection.projectedRowType(), allocator)) {
                ColumnarBatch rows = reader.read(projected.batches().iterator().next());
                for (int i = 0; i < 3; i++) {
                    out.printf("    offset %d: order_id=%d amount=%s%n", rows.offset(i), rows.row(i).getLong(0),
                            rows.row(i).getDecimal(1, 12, 2));
                }
            }
            out.println("  inspect it with: ./thermocline dump-log " + logDir);
        }
    }

    private void dumpLog(Path logDir) {
        if (!Files.isDirectory(logDir)) {
            out.println("No log directory at " + logDir);
            System.exit(1);
        }
        try {
            System.exit(LogDump.dump(logDir, out) == 0 ? 0 : 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
