package io.thermocline.benchmarks;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Lookuper;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.tools.LocalCluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Primary-key tables against Redis on the same machine in the same run: upsert throughput, point
 * lookups one at a time (throughput and latency) and batched (lookupAll against pipelined GET).
 * Thermocline runs a local cluster of three tablet servers with its defaults (replication 3,
 * acks=all: every upsert on three replicas before its ack); Redis runs in memory without
 * persistence, the fastest it can be. Writes a Markdown report with medians of three rounds.
 *
 * <p>Usage: {@code KvBenchmark REPORT.md [keys] [lookups per round]}
 */
public final class KvBenchmark {
    private static final Schema ACCOUNTS = Schema.builder()
            .column("id", DataTypes.INT().notNull())
            .column("payload", DataTypes.STRING())
            .primaryKey("id")
            .build();
    private static final int BATCH = 100;
    private static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        Path report = Paths.get(args.length > 0 ? args[0] : "benchmarks/results/kv.md");
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int lookups = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        String payload = "p".repeat(100);
        Path dir = Files.createTempDirectory("tc-kv-bench");
        LocalCluster cluster = new LocalCluster(dir.resolve("cluster"), 19280, 3).start();
        Files.createDirectories(dir.resolve("redis"));
        try (Connection connection = ConnectionFactory.create(
                new Configuration().setString("bootstrap.servers", cluster.bootstrapServers()));
                RedisPeer redis = RedisPeer.start(19379, dir.resolve("redis"))) {
            connection.admin().createDatabase("bench", null, true).get();
            TablePath path = TablePath.of("bench", "accounts");
            connection.admin().createTable(path, TableDescriptor.builder(ACCOUNTS).buckets(8).build(), false).get();
            Table table = connection.table(path);

            double[][] upserts = new double[ROUNDS][];
            for (int round = 0; round < ROUNDS; round++) {
                // A new value each round: upserts that change nothing would skip the changelog.
                String value = payload.substring(1) + round;
                upserts[round] = new double[] {upsert(table, keys, value), redisSet(redis, keys, value)};
            }
            Lookuper lookuper = table.newLookuper();
            double[][] single = new double[ROUNDS][];
            double[][] batched = new double[ROUNDS][];
            long[] ourLatencies = new long[0];
            long[] redisLatencies = new long[0];
            for (int round = 0; round < ROUNDS; round++) {
                Random random = new Random(round);
                long[] ours = new long[lookups];
                long[] theirs = new long[lookups];
                single[round] = new double[] {lookupSingle(lookuper, keys, random, ours),
                        redisGetSingle(redis, keys, random, theirs)};
                batched[round] = new double[] {lookupBatched(lookuper, keys, random, lookups),
                        redisGetPipelined(redis, keys, random, lookups)};
                ourLatencies = ours;
                redisLatencies = theirs;
            }
            Arrays.sort(ourLatencies);
            Arrays.sort(redisLatencies);
            StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "# Primary-key tables against Redis%n%n"
                    + "One machine, %d cores, same run. Thermocline: local cluster of 3 tablet servers in one JVM,"
                    + " defaults (replication 3, acks=all, idempotent writer, 8 buckets). Redis %s: in memory, no"
                    + " persistence, RESP spoken directly. %d keys of %d-byte values; medians of %d rounds;"
                    + " lookups of random existing keys.%n%n| measure | Thermocline | Redis | Thermocline / Redis |%n"
                    + "|---|---:|---:|---:|%n", Runtime.getRuntime().availableProcessors(), "7 (Debian package)", keys,
                    payload.length(), ROUNDS));
            md.append(row("upserts per second (Redis: pipelined SET)", median(upserts, 0), median(upserts, 1)));
            md.append(row("point lookups per second, one at a time (Redis: GET)", median(single, 0), median(single, 1)));
            md.append(row("keys per second, batches of " + BATCH + " (Redis: pipelined GET)", median(batched, 0),
                    median(batched, 1)));
            md.append(String.format(Locale.ROOT, "| point lookup latency p50 (ms) | %.3f | %.3f | %.2f |%n",
                    BenchmarkReports.percentileMillis(ourLatencies, 0.5), BenchmarkReports.percentileMillis(redisLatencies, 0.5),
                    BenchmarkReports.percentileMillis(ourLatencies, 0.5) / BenchmarkReports.percentileMillis(redisLatencies, 0.5)));
            md.append(String.format(Locale.ROOT, "| point lookup latency p99 (ms) | %.3f | %.3f | %.2f |%n",
                    BenchmarkReports.percentileMillis(ourLatencies, 0.99), BenchmarkReports.percentileMillis(redisLatencies, 0.99),
                    BenchmarkReports.percentileMillis(ourLatencies, 0.99) / BenchmarkReports.percentileMillis(redisLatencies, 0.99)));
            BenchmarkReports.write(report, md.toString());
        } finally {
            cluster.close();
            BenchmarkDirs.delete(dir);
        }
    }

    private static double upsert(Table table, int keys, String payload) throws Exception {
        BinaryString value = BinaryString.fromString(payload);
        long start = System.nanoTime();
        try (UpsertWriter writer = table.newUpsertWriter()) {
            CompletableFuture<Void> last = null;
            for (int id = 0; id < keys; id++) {
                last = writer.upsert(GenericRow.of(id, value));
            }
            writer.flush();
            last.get();
        }
        return keys / ((System.nanoTime() - start) / 1e9);
    }

    private static double redisSet(RedisPeer redis, int keys, String payload) throws Exception {
        byte[] value = payload.getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        for (int from = 0; from < keys; from += 10_000) {
            List<byte[]> keyBatch = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            for (int id = from; id < Math.min(keys, from + 10_000); id++) {
                keyBatch.add(key(id));
                values.add(value);
            }
            redis.setAll(keyBatch, values);
        }
        return keys / ((System.nanoTime() - start) / 1e9);
    }

    private static double lookupSingle(Lookuper lookuper, int keys, Random random, long[] latencies) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < latencies.length; i++) {
            long t = System.nanoTime();
            if (lookuper.lookup(GenericRow.of(random.nextInt(keys))).get().isEmpty()) {
                throw new IllegalStateException("A written key was not found");
            }
            latencies[i] = System.nanoTime() - t;
        }
        return latencies.length / ((System.nanoTime() - start) / 1e9);
    }

    private static double redisGetSingle(RedisPeer redis, int keys, Random random, long[] latencies) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < latencies.length; i++) {
            long t = System.nanoTime();
            if (redis.get(key(random.nextInt(keys))) == null) {
                throw new IllegalStateException("A written key was not found in Redis");
            }
            latencies[i] = System.nanoTime() - t;
        }
        return latencies.length / ((System.nanoTime() - start) / 1e9);
    }

    private static double lookupBatched(Lookuper lookuper, int keys, Random random, int total) throws Exception {
        long start = System.nanoTime();
        for (int done = 0; done < total; done += BATCH) {
            List<GenericRow> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                batch.add(GenericRow.of(random.nextInt(keys)));
            }
            lookuper.lookupAll(batch).get();
        }
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private static double redisGetPipelined(RedisPeer redis, int keys, Random random, int total) throws Exception {
        long start = System.nanoTime();
        for (int done = 0; done < total; done += BATCH) {
            List<byte[]> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                batch.add(key(random.nextInt(keys)));
            }
            redis.getAll(batch);
        }
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private static byte[] key(int id) {
        return ("account:" + id).getBytes(StandardCharsets.US_ASCII);
    }

    private static String row(String measure, double ours, double theirs) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.2f |%n", measure, ours, theirs, ours / theirs);
    }

    private static double median(double[][] rounds, int column) {
        double[] values = new double[rounds.length];
        for (int i = 0; i < rounds.length; i++) {
            values[i] = rounds[i][column];
        }
        Arrays.sort(values);
        return values[values.length / 2];
    }
}
