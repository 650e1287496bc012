package io.thermocline.benchmarks;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.tools.LocalCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * End-to-end on a local cluster (ZooKeeper, a coordinator, three tablet servers, defaults):
 * append throughput through the public writer, and produce-to-consume latency at a fixed rate,
 * measured from the moment a row is handed to the writer to the moment a scanner returns it
 * (same JVM, same clock). Writes a Markdown report.
 *
 * <p>Usage: {@code EndToEndBenchmark REPORT.md [rate rows/s] [seconds]}
 */
public final class EndToEndBenchmark {
    private static final Schema EVENTS = Schema.builder()
            .column("sent_nanos", DataTypes.BIGINT().notNull())
            .column("user_id", DataTypes.BIGINT())
            .column("page", DataTypes.STRING())
            .column("payload", DataTypes.STRING())
            .build();

    public static void main(String[] args) throws Exception {
        Path report = Paths.get(args.length > 0 ? args[0] : "benchmarks/results/end-to-end.md");
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path dir = Files.createTempDirectory("tc-e2e");
        LocalCluster cluster = new LocalCluster(dir, 19180, 3).start();
        try (Connection connection = ConnectionFactory.create(
                new Configuration().setString("bootstrap.servers", cluster.bootstrapServers()))) {
            connection.admin().createDatabase("bench", null, true).get();
            String payload = "x".repeat(200);
            double[] throughput = throughput(connection, payload);
            long[] latencies = latency(connection, payload, rate, seconds);
            String md = String.format(Locale.ROOT, "# End-to-end benchmark%n%n"
                            + "Local cluster in one JVM: embedded ZooKeeper, 1 coordinator, 3 tablet servers, defaults"
                            + " (writer linger 5 ms, LZ4). Rows of 4 columns, about 250 bytes. %d cores.%n%n"
                            + "| measure | value |%n|---|---:|%n"
                            + "| append throughput, 8 buckets, 2M rows | %.0f rows/s, %.1f MB/s |%n"
                            + "| produce-to-consume latency at %d rows/s for %d s, p50 | %.2f ms |%n"
                            + "| p99 | %.2f ms |%n| p99.9 | %.2f ms |%n| max | %.2f ms |%n| rows measured | %d |%n",
                    Runtime.getRuntime().availableProcessors(), throughput[0], throughput[1], rate, seconds,
                    percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(latencies, 0.999),
                    percentile(latencies, 1.0), latencies.length);
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, md);
            System.out.print(md);
        } finally {
            cluster.close();
            BenchmarkDirs.delete(dir);
        }
    }

    /** Rows/s and MB/s (row bytes as encoded in Arrow before compression) appending 2M rows. */
    private static double[] throughput(Connection connection, String payload) throws Exception {
        TablePath path = TablePath.of("bench", "throughput");
        connection.admin().createTable(path, TableDescriptor.builder(EVENTS).buckets(8).build(), false).get();
        Table table = connection.table(path);
        int rows = 2_000_000;
        BinaryString page = BinaryString.fromString("/some/page");
        BinaryString body = BinaryString.fromString(payload);
        long start = System.nanoTime();
        try (AppendWriter writer = table.newAppendWriter()) {
            CompletableFuture<?> last = null;
            for (int i = 0; i < rows; i++) {
                last = writer.append(GenericRow.of((long) i, (long) (i % 10_000), page, body));
            }
            writer.flush();
            last.get();
        }
        double secondsTaken = (System.nanoTime() - start) / 1e9;
        double rowBytes = 8 + 8 + page.byteLength() + body.byteLength() + 4 * 2;
        return new double[] {rows / secondsTaken, rows * rowBytes / secondsTaken / 1e6};
    }

    /** Latencies in nanoseconds of rows appended at a fixed rate and read by a scanner. */
    private static long[] latency(Connection connection, String payload, int rate, int seconds) throws Exception {
        TablePath path = TablePath.of("bench", "latency");
        connection.admin().createTable(path, TableDescriptor.builder(EVENTS).buckets(3).build(), false).get();
        Table table = connection.table(path);
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicBoolean failed = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (LogScanner scanner = table.newLogScanner(new int[] {0})) {
                for (int b = 0; b < 3; b++) {
                    scanner.subscribe(b, 0);
                }
                int seen = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 30);
                while (seen < total && System.nanoTime() < deadline) {
                    for (ScanRecord record : scanner.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        latencies[seen++] = now - record.row().getLong(0);
                    }
                }
                failed.set(seen < total);
            }
        }, "latency-reader");
        reader.start();
        BinaryString page = BinaryString.fromString("/some/page");
        BinaryString body = BinaryString.fromString(payload);
        long intervalNanos = 1_000_000_000L / rate;
        try (AppendWriter writer = table.newAppendWriter()) {
            long next = System.nanoTime();
            for (int i = 0; i < total; i++) {
                // Park, not spin: a spinning generator would take a core from the servers it measures.
                for (long wait = next - System.nanoTime(); wait > 0; wait = next - System.nanoTime()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                writer.append(GenericRow.of(System.nanoTime(), (long) i, page, body));
                next += intervalNanos;
            }
            writer.flush();
        }
        reader.join();
        if (failed.get()) {
            throw new IllegalStateException("The scanner did not read every row in time");
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
