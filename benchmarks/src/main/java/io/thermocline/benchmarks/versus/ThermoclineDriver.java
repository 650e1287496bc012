package io.thermocline.benchmarks.versus;

import io.thermocline.benchmarks.peers.BenchRow;
import io.thermocline.benchmarks.peers.DriverResult;
import io.thermocline.benchmarks.peers.KvRun;
import io.thermocline.benchmarks.peers.LakeRun;
import io.thermocline.benchmarks.peers.LatencyRun;
import io.thermocline.benchmarks.peers.ReadRun;
import io.thermocline.benchmarks.peers.RowWriter;
import io.thermocline.benchmarks.peers.UnionReadRun;
import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
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

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Thermocline's driver: the scenarios of PeerDriver (same rows, same measurements) through the Java
 * client with its defaults, and Flink SQL through the Thermocline catalog for the union read.
 * {@code ThermoclineDriver append|latency|projection|kv|lake|union-read key=value...}.
 */
public final class ThermoclineDriver {
    private final Map<String, String> options;
    private final long rows;
    private final int buckets;

    private ThermoclineDriver(Map<String, String> options) {
        this.options = options;
        this.rows = Long.parseLong(options.getOrDefault("rows", "100000"));
        this.buckets = Integer.parseInt(options.getOrDefault("buckets", "3"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        new ThermoclineDriver(options).run(args[0]).print();
        System.exit(0);
    }

    private DriverResult run(String scenario) throws Exception {
        try (Connection connection = ConnectionFactory.create(new Configuration(Map.of("bootstrap.servers",
                options.get("bootstrap"))))) {
            TablePath path = TablePath.of("bench", options.getOrDefault("table", "bench_" + System.nanoTime()));
            connection.admin().createDatabase("bench", null, true).get();
            TableDescriptor.Builder descriptor = TableDescriptor.builder(schema(scenario.equals("kv")))
                    .buckets(buckets, UnionReadRun.bucketKeys(scenario, BenchRow.columnName(0)))
                    .replicationFactor(Integer.parseInt(options.getOrDefault("rf", "1")));
            if (scenario.equals("lake") || scenario.equals("union-read")) {
                descriptor.options(Map.of("table.datalake.enabled", "true", "table.datalake.freshness",
                        options.getOrDefault("freshness", "1s")));
            }
            connection.admin().createTable(path, descriptor.build(), false).get();
            Table table = connection.table(path);
            return switch (scenario) {
                case "append" -> append(table);
                case "latency" -> latency(table);
                case "projection" -> projectedRead(table);
                case "kv" -> keyValue(table);
                case "lake" -> lake(table);
                case "union-read" -> unionRead(connection.admin(), path, table);
                default -> throw new IllegalArgumentException("Unknown scenario " + scenario);
            };
        }
    }

    private static Schema schema(boolean primaryKey) {
        Schema.Builder schema = Schema.builder();
        for (int column = 0; column < BenchRow.COLUMNS; column++) {
            schema.column(BenchRow.columnName(column), switch (BenchRow.kind(column)) {
                case BIGINT -> DataTypes.BIGINT();
                case INT -> DataTypes.INT();
                case DOUBLE -> DataTypes.DOUBLE();
                case STRING -> DataTypes.STRING();
            });
        }
        if (primaryKey) {
            schema.primaryKey(BenchRow.columnName(0));
        }
        return schema.build();
    }

    private static GenericRow row(long index, long firstLong) {
        Object[] fields = new Object[BenchRow.COLUMNS];
        for (int column = 0; column < BenchRow.COLUMNS; column++) {
            Object value = BenchRow.value(index, column, firstLong);
            fields[column] = value instanceof String text ? BinaryString.fromString(text) : value;
        }
        return GenericRow.of(fields);
    }

    private static RowWriter rowWriter(AppendWriter writer) {
        return new RowWriter() {
            @Override
            public void write(long index, long firstLong) {
                writer.append(row(index, firstLong));
            }

            @Override
            public void flush() {
                writer.flush();
            }
        };
    }

    private DriverResult append(Table table) throws Exception {
        try (AppendWriter writer = table.newAppendWriter()) {
            long start = System.nanoTime();
            CompletableFuture<?> last = null;
            for (long i = 0; i < rows; i++) {
                last = writer.append(row(i, BenchRow.longAt(i, 0)));
            }
            writer.flush();
            if (last != null) {
                last.get(60, TimeUnit.SECONDS); // a failed write fails the run
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new DriverResult().put("rows", rows).put("seconds", seconds).put("rows_per_s", rows / seconds);
        }
    }

    private LogScanner scanner(Table table, int[] projection) {
        LogScanner scanner = projection == null ? table.newLogScanner() : table.newLogScanner(projection);
        for (int bucket = 0; bucket < buckets; bucket++) {
            scanner.subscribe(bucket, 0L);
        }
        return scanner;
    }

    private DriverResult latency(Table table) throws Exception {
        try (AppendWriter writer = table.newAppendWriter()) {
            return LatencyRun.run(Integer.parseInt(options.getOrDefault("rate", "5000")),
                    Integer.parseInt(options.getOrDefault("seconds", "10")), () -> {
                        LogScanner scanner = scanner(table, null);
                        return new LatencyRun.Reader() {
                            @Override
                            public long[] poll() {
                                return scanner.poll(Duration.ofMillis(100)).stream()
                                        .mapToLong(record -> record.row().getLong(0)).toArray();
                            }

                            @Override
                            public void close() {
                                scanner.close();
                            }
                        };
                    }, rowWriter(writer));
        }
    }

    private DriverResult keyValue(Table table) throws Exception {
        try (UpsertWriter writer = table.newUpsertWriter()) {
            Lookuper lookuper = table.newLookuper();
            return KvRun.run(rows, Integer.parseInt(options.getOrDefault("lookups", "10000")), new KvRun.Table() {
                @Override
                public CompletableFuture<?> upsert(long key) {
                    return writer.upsert(row(key, key));
                }

                @Override
                public void flush() {
                    writer.flush();
                }

                @Override
                public CompletableFuture<Boolean> lookup(long key) {
                    return lookuper.lookup(GenericRow.of(key)).thenApply(java.util.Optional::isPresent);
                }
            });
        }
    }

    private DriverResult projectedRead(Table table) throws Exception {
        append(table);
        return ReadRun.run(rows, Integer.parseInt(options.getOrDefault("passes", "5")), BenchRow.PROJECTION.length,
                () -> {
                    LogScanner scanner = scanner(table, BenchRow.PROJECTION);
                    return new ReadRun.Reader() {
                        @Override
                        public long poll() {
                            return scanner.poll(Duration.ofMillis(100)).size();
                        }

                        @Override
                        public void close() {
                            scanner.close();
                        }
                    };
                });
    }

    private DriverResult lake(Table table) throws Exception {
        try (AppendWriter writer = table.newAppendWriter()) {
            return LakeRun.run(rows, Integer.parseInt(options.getOrDefault("rate", "0")), rowWriter(writer));
        }
    }

    private DriverResult unionRead(Admin admin, TablePath path, Table table) throws Exception {
        try (AppendWriter writer = table.newAppendWriter()) {
            return UnionReadRun.run(rows, Integer.parseInt(options.getOrDefault("queries", "3")),
                    new UnionReadRun.Table() {
                        @Override
                        public void write(long index) {
                            writer.append(row(index, BenchRow.longAt(index, 0)));
                        }

                        @Override
                        public void flush() throws Exception {
                            writer.flush();
                        }

                        @Override
                        public long lakeRows() throws Exception {
                            return admin.getLakeSnapshot(path).get().map(snapshot -> snapshot.endOffsets().values()
                                    .stream().mapToLong(Long::longValue).sum()).orElse(0L);
                        }

                        @Override
                        public long countAll() throws Exception {
                            // A new session per query: each pays planning and job start, as a user's would.
                            TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
                            sql.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                                    + options.get("bootstrap") + "')");
                            sql.executeSql("USE CATALOG tc");
                            try (CloseableIterator<Row> result = sql.executeSql("SELECT COUNT(*), SUM(c4) FROM `"
                                    + path.database() + "`.`" + path.table() + "`").collect()) {
                                return ((Number) result.next().getField(0)).longValue();
                            }
                        }
                    });
        }
    }
}
