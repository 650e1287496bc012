package io.thermocline.benchmarks;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.OffsetSpec;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * End-to-end on a local cluster (ZooKeeper, a coordinator, three tablet servers, defaults):
 * append throughput through the public writer, and produce-to-consume latency at a fixed rate,
 * measured from the moment a row is handed to the writer to the moment a scanner returns it
 * (same JVM, same clock), each for tables of replication 1 and of replication 3 with acks=all
 * (min in-sync replicas 2), in the same run. Throughput is the median of three runs. Writes a
 * Markdown report.
 *
 * <p>Usage: {@code EndToEndBenchmark REPORT.md [rate rows/s] [seconds] [latency-only]}
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
            boolean latencyOnly = args.length > 3 && args[3].equals("latency-only");
            // Latency first: after gigabytes of throughput runs the OS writes back dirty pages for a
            // while, which would land in the latency tail of whichever configuration came last.
            latency(connection, payload, rate, 3, 3, "warmup"); // JIT and connections, discarded
            long[] singleLatency = latency(connection, payload, rate, seconds, 1, "rf1");
            long[] replicatedLatency = latency(connection, payload, rate, seconds, 3, "rf3");
            double[] single = latencyOnly ? new double[] {Double.NaN, Double.NaN} : medianThroughput(connection, payload, 1);
            double[] replicated = latencyOnly ? new double[] {Double.NaN, Double.NaN}
                    : medianThroughput(connection, payload, 3);
            StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "# End-to-end benchmark%n%n"
                            + "Local cluster in one JVM: embedded ZooKeeper, 1 coordinator, 3 tablet servers, defaults"
                            + " (writer linger 5 ms, LZ4, idempotent writer, acks=all). Rows of 4 columns, about 250"
                            + " bytes. %d cores, one machine: the three replicas share its disk and cores.%n%n"
                            + "| measure | replication 1 | replication 3, acks=all | RF 3 / RF 1 |%n|---|---:|---:|---:|%n",
                    Runtime.getRuntime().availableProcessors()));
            md.append(row("append throughput, 8 buckets, 2M rows, median of 3 (rows/s)", single[0], replicated[0], "%.0f"));
            md.append(row("append throughput (MB/s)", single[1], replicated[1], "%.1f"));
            for (double p : new double[] {0.5, 0.99, 0.999, 1.0}) {
                String name = p == 1.0 ? "max" : "p" + (p * 100 == Math.floor(p * 100) ? String.valueOf((int) (p * 100))
                        : String.valueOf(p * 100));
                md.append(row("produce-to-consume latency at " + rate + " rows/s for " + seconds + " s, " + name + " (ms)",
                        BenchmarkReports.percentileMillis(singleLatency, p), BenchmarkReports.percentileMillis(replicatedLatency, p), "%.2f"));
            }
            BenchmarkReports.write(report, md.toString());
        } finally {
            cluster.close();
            BenchmarkDirs.delete(dir);
        }
    }

    private static String row(String measure, double single, double replicated, String format) {
        return String.format(Locale.ROOT, "| %s | " + format + " | " + format + " | %.2f |%n", measure, single, replicated,
                replicated / single);
    }

    private static TableDescriptor table(int buckets, int replicationFactor) {
        return TableDescriptor.builder(EVENTS).buckets(buckets).replicationFactor(replicationFactor).build();
    }

    /** Median of three runs, by rows/s. */
    private static double[] medianThroughput(Connection connection, String payload, int replicationFactor)
            throws Exception {
        double[][] runs = new double[3][];
        for (int run = 0; run < runs.length; run++) {
            runs[run] = throughput(connection, payload, replicationFactor, run);
        }
        Arrays.sort(runs, (a, b) -> Double.compare(a[0], b[0]));
        return runs[1];
    }

    /** Rows/s and MB/s (row bytes as encoded in Arrow before compression) appending 2M rows. */
    private static double[] throughput(Connection connection, String payload, int replicationFactor, int run)
            throws Exception {
        TablePath path = TablePath.of("bench", "throughput_rf" + replicationFactor + "_" + run);
        connection.admin().createTable(path, table(8, replicationFactor), false).get();
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
    private static long[] latency(Connection connection, String payload, int rate, int seconds, int replicationFactor,
            String name) throws Exception {
        TablePath path = TablePath.of("bench", "latency_" + name);
        connection.admin().createTable(path, table(3, replicationFactor), false).get();
        Table table = connection.table(path);
        // Steady state only: the followers of a new table take a fetch round or two to start.
        Map<Integer, Long> start = replicate(connection, table, payload);
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicBoolean failed = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (LogScanner scanner = table.newLogScanner(new int[] {0})) {
                for (int b = 0; b < 3; b++) {
                    scanner.subscribe(b, start.get(b));
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

    /** Writes rows until every bucket holds one, all acknowledged; returns where measuring starts. */
    private static Map<Integer, Long> replicate(Connection connection, Table table, String payload) throws Exception {
        List<Integer> buckets = List.of(0, 1, 2);
        TablePath path = table.info().path();
        try (AppendWriter writer = table.newAppendWriter()) {
            BinaryString text = BinaryString.fromString(payload);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (connection.admin().listOffsets(path, buckets, OffsetSpec.latest()).get().containsValue(0L)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The buckets of " + path + " took no rows within 60 s");
                }
                for (int i = 0; i < 1000; i++) {
                    writer.append(GenericRow.of(System.nanoTime(), -1L, text, text));
                }
                writer.flush();
            }
        }
        return connection.admin().listOffsets(path, buckets, OffsetSpec.latest()).get();
    }
}
