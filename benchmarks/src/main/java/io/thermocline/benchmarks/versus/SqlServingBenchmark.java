package io.thermocline.benchmarks.versus;

import io.thermocline.benchmarks.BenchmarkReports;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Lookuper;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Key lookups through SQL: the prepared statement {@code SELECT v FROM kv WHERE id = ?} over the
 * JDBC gateway with its fast path (answered in the gateway) and without it (a Flink job per
 * statement, the gateway's embedded Flink), beside the same lookups by Thermocline's Java client
 * and by Redis's GET, all in one run on one machine, one connection and 16 at once. Every lookup
 * must find its key's value.
 *
 * <p>{@code SqlServingBenchmark RESULTS_DIR [--smoke]} ({@code benchmarks/run.sh sql-serving}):
 * writes {@code sql-serving.md} (or {@code sql-serving-smoke.md}, few lookups, for CI).
 */
public final class SqlServingBenchmark {
    private static final int GATEWAY_PORT = 19765;
    private static final int REDIS_PORT = 19701;
    private static final int CONCURRENT = 16;
    private static final TablePath TABLE = TablePath.of("default", "kv");
    private static final String QUERY = "SELECT v FROM kv WHERE id = ?";

    private SqlServingBenchmark() {}

    /**
     * How much each case does: lookups per connection, after a warm-up of its own with the same
     * connections (the JIT of four JVMs sharing two cores takes about a minute to settle).
     */
    private record Sizes(int keys, int single, int concurrentEach, int jobSingle, int jobConcurrentEach,
            Duration warmUp) {}

    /** One connection's lookups of a system; not thread-safe. */
    private interface Looker extends AutoCloseable {
        /** The value of a key. */
        String lookup(long key) throws Exception;
    }

    private interface LookerFactory {
        Looker open() throws Exception;
    }

    /** A case measured: every lookup's latency and the wall time of all. */
    record Measured(String system, int connections, long[] nanos, double seconds) {
        double perSecond() {
            return nanos.length / seconds;
        }

        double percentileMillis(double p) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return BenchmarkReports.percentileMillis(sorted, p);
        }
    }

    public static void main(String[] args) throws Exception {
        Path results = Paths.get(args.length > 0 ? args[0] : "benchmarks/results");
        boolean smoke = Arrays.asList(args).contains("--smoke");
        Sizes sizes = smoke ? new Sizes(2_000, 200, 40, 3, 1, Duration.ofSeconds(1))
                : new Sizes(100_000, 5_000, 2_000, 20, 3, Duration.ofSeconds(60));
        Path dir = Files.createTempDirectory("thermocline-sql-serving");
        String classpath = System.getProperty("java.class.path");
        List<Measured> measured = new ArrayList<>();
        System.out.println("Starting Thermocline, its JDBC gateway" + (RedisSystem.installed() ? " and Redis" : "")
                + "...");
        try (ThermoclineSystem cluster = ThermoclineSystem.start(dir.resolve("thermocline"), 1);
                ChildProcess gateway = ChildProcess.start(classpath, "2g", dir.resolve("gateway.log"),
                        "io.thermocline.gateway.GatewayMain", List.of("--bootstrap-servers", cluster.bootstrap(),
                                "--port", Integer.toString(GATEWAY_PORT), "--conf", "gateway.host=127.0.0.1",
                                "--conf", "gateway.flink.embedded-slots=" + CONCURRENT))
                        .awaitPort(GATEWAY_PORT, Duration.ofMinutes(3));
                ChildProcess redis = RedisSystem.installed() ? ChildProcess.start(List.of("redis-server", "--port",
                        Integer.toString(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
                        dir.resolve("redis.log")).awaitPort(REDIS_PORT, Duration.ofSeconds(30)) : null;
                io.thermocline.client.api.Connection client = ConnectionFactory.create(new Configuration(Map.of(
                        "bootstrap.servers", cluster.bootstrap())))) {
            load(client, redis != null, sizes.keys());
            String url = "jdbc:avatica:remote:url=http://127.0.0.1:" + GATEWAY_PORT + ";serialization=protobuf";
            LookerFactory fastPath = () -> jdbc(url, true);
            LookerFactory flinkJob = () -> jdbc(url, false);
            Lookuper lookuper = client.table(TABLE).newLookuper();
            LookerFactory javaClient = () -> new Looker() {
                @Override
                public String lookup(long key) throws Exception {
                    return lookuper.lookup(GenericRow.of(key)).get().map(row -> row.getString(1).toString())
                            .orElse(null);
                }

                @Override
                public void close() {}
            };
            for (int connections : new int[] {1, CONCURRENT}) {
                int each = connections == 1 ? sizes.single() : sizes.concurrentEach();
                // The Flink jobs last: their JVM-wide work (class loading, job threads) must not run beside others.
                measured.add(measure("Java client lookuper", javaClient, connections, each, sizes));
                measured.add(measure("JDBC, fast path", fastPath, connections, each, sizes));
                if (redis != null) {
                    measured.add(measure("Redis GET", () -> redis(), connections, each, sizes));
                }
                measured.add(measure("JDBC, Flink job", flinkJob, connections,
                        connections == 1 ? sizes.jobSingle() : sizes.jobConcurrentEach(), sizes));
            }
        }
        String name = smoke ? "sql-serving-smoke" : "sql-serving";
        BenchmarkReports.write(results.resolve(name + ".md"), report(measured, sizes, smoke));
    }

    /** The table's rows, written by the Java client (and the same keys and values into Redis). */
    private static void load(io.thermocline.client.api.Connection client, boolean redis, int keys) throws Exception {
        client.admin().createTable(TABLE, TableDescriptor.builder(Schema.builder().column("id", DataTypes.BIGINT())
                .column("v", DataTypes.STRING()).primaryKey("id").build()).buckets(3).replicationFactor(1).build(),
                false).get();
        try (UpsertWriter writer = client.table(TABLE).newUpsertWriter()) {
            for (long key = 0; key < keys; key++) {
                writer.upsert(GenericRow.of(key, BinaryString.fromString(value(key))));
            }
            writer.flush();
        }
        if (redis) {
            try (RespClient resp = new RespClient("127.0.0.1", REDIS_PORT)) {
                for (long key = 0; key < keys; key++) {
                    resp.set("kv:" + key, value(key));
                }
            }
        }
    }

    /** A 90-character value naming its key. */
    private static String value(long key) {
        String prefix = "v" + key + "-";
        return prefix + "x".repeat(90 - prefix.length());
    }

    private static Looker jdbc(String url, boolean fastPath) throws Exception {
        java.sql.Connection connection = DriverManager.getConnection(url);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET 'thermocline.optimizer.fast-path' = '" + fastPath + "'");
        }
        PreparedStatement select = connection.prepareStatement(QUERY);
        return new Looker() {
            @Override
            public String lookup(long key) throws Exception {
                select.setLong(1, key);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }

            @Override
            public void close() throws Exception {
                select.close();
                connection.close();
            }
        };
    }

    private static Looker redis() throws Exception {
        RespClient resp = new RespClient("127.0.0.1", REDIS_PORT);
        return new Looker() {
            @Override
            public String lookup(long key) throws Exception {
                return resp.get("kv:" + key);
            }

            @Override
            public void close() throws Exception {
                resp.close();
            }
        };
    }

    /**
     * {@code connections} lookers at once, each looking up random keys for the warm-up time (at
     * least twice), then {@code each} more one after the other, measured; fails when a key's value
     * is not what was written.
     */
    private static Measured measure(String system, LookerFactory factory, int connections, int each, Sizes sizes)
            throws Exception {
        int keys = sizes.keys();
        long warmUpNanos = sizes.warmUp().toNanos();
        ExecutorService threads = Executors.newFixedThreadPool(connections);
        try {
            List<Looker> lookers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                lookers.add(factory.open());
            }
            CountDownLatch ready = new CountDownLatch(connections);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<long[]>> futures = new ArrayList<>();
            for (Looker looker : lookers) {
                futures.add(threads.submit(() -> {
                    try (looker) {
                        long warmStart = System.nanoTime();
                        for (int i = 0; i < 2 || System.nanoTime() - warmStart < warmUpNanos; i++) {
                            check(looker, ThreadLocalRandom.current().nextLong(keys));
                        }
                        ready.countDown();
                        go.await();
                        long[] nanos = new long[each];
                        for (int i = 0; i < each; i++) {
                            long key = ThreadLocalRandom.current().nextLong(keys);
                            long start = System.nanoTime();
                            check(looker, key);
                            nanos[i] = System.nanoTime() - start;
                        }
                        return nanos;
                    }
                }));
            }
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> future : futures) {
                all.add(future.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] nanos = all.stream().flatMapToLong(Arrays::stream).toArray();
            Measured m = new Measured(system, connections, nanos, seconds);
            System.out.printf(Locale.ROOT, "  %s, %d connection(s): %,d lookups, p50 %.2f ms, p99 %.2f ms, %,.0f/s%n",
                    system, connections, nanos.length, m.percentileMillis(0.5), m.percentileMillis(0.99),
                    m.perSecond());
            return m;
        } finally {
            threads.shutdownNow();
        }
    }

    private static void check(Looker looker, long key) throws Exception {
        String found = looker.lookup(key);
        if (!value(key).equals(found)) {
            throw new IllegalStateException("key " + key + " was written and its lookup found " + found);
        }
    }

    private static String report(List<Measured> measured, Sizes sizes, boolean smoke) throws Exception {
        StringBuilder md = new StringBuilder("# SQL serving: key lookups over JDBC\n\n");
        md.append("Produced by `benchmarks/run.sh sql-serving").append(smoke ? " --smoke" : "").append("`. ")
                .append(BenchmarkReports.machine()).append('\n');
        md.append(String.format(Locale.ROOT, "A primary-key table of %,d keys (BIGINT key, 90-character STRING"
                + " value, 3 buckets, RF 1) on one tablet server (a JVM of its own, ZooKeeper and the coordinator in"
                + " another); the JDBC gateway in a third JVM, whose embedded Flink runs the jobs when the fast path is"
                + " off; Redis (Debian's redis-server, in memory only) with the same keys and values. Each connection"
                + " runs the prepared statement `%s` (or the Java client's lookup, or Redis's GET) for a random key,"
                + " one at a time, after %d s of the same load as warm-up; every lookup must find its key's value. Latency is the client's"
                + " time per lookup, throughput all lookups over the wall time of the case.%n%n", sizes.keys(), QUERY,
                sizes.warmUp().toSeconds()));
        if (smoke) {
            md.append("**Smoke mode**: few lookups, to keep the harness working; not figures to quote.\n\n");
        }
        md.append("| system | connections | lookups | p50 (ms) | p99 (ms) | lookups/s |\n|---|---|---|---|---|---|\n");
        for (Measured m : measured) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %,d | %.2f | %.2f | %,.0f |%n", m.system(),
                    m.connections(), m.nanos().length, m.percentileMillis(0.5), m.percentileMillis(0.99),
                    m.perSecond()));
        }
        md.append("\n## Ratios (same run)\n\n| measure | connections | ratio |\n|---|---|---|\n");
        for (int connections : new int[] {1, CONCURRENT}) {
            Measured fast = find(measured, "JDBC, fast path", connections);
            Measured job = find(measured, "JDBC, Flink job", connections);
            Measured java = find(measured, "Java client lookuper", connections);
            Measured redis = find(measured, "Redis GET", connections);
            ratio(md, "fast path throughput / Flink job throughput", connections, fast.perSecond() / job.perSecond());
            ratio(md, "fast path throughput / Java client throughput", connections,
                    fast.perSecond() / java.perSecond());
            if (redis != null) {
                ratio(md, "fast path throughput / Redis throughput", connections, fast.perSecond() / redis.perSecond());
            }
        }
        return md.toString();
    }

    private static void ratio(StringBuilder md, String what, int connections, double ratio) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %.2fx |%n", what, connections, ratio));
    }

    private static Measured find(List<Measured> measured, String system, int connections) {
        return measured.stream().filter(m -> m.system().equals(system) && m.connections() == connections)
                .findFirst().orElse(null);
    }
}
