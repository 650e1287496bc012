package io.thermocline.benchmarks.peers;

import org.apache.fluss.client.Connection;
import org.apache.fluss.client.ConnectionFactory;
import org.apache.fluss.client.admin.Admin;
import org.apache.fluss.client.table.Table;
import org.apache.fluss.client.table.scanner.log.LogScanner;
import org.apache.fluss.client.lookup.Lookuper;
import org.apache.fluss.client.table.writer.AppendWriter;
import org.apache.fluss.client.table.writer.UpsertWriter;
import org.apache.fluss.config.Configuration;
import org.apache.fluss.metadata.DatabaseDescriptor;
import org.apache.fluss.metadata.Schema;
import org.apache.fluss.metadata.TableDescriptor;
import org.apache.fluss.metadata.TablePath;
import org.apache.fluss.row.BinaryString;
import org.apache.fluss.row.GenericRow;
import org.apache.fluss.types.DataTypes;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Apache Fluss's side: its Java client (Arrow log format, its default compression), a log table of
 * the benchmark row; write batching, fetch waits and lookup batching set like the other systems'.
 */
public final class FlussDriver {
    /** A batch SQL engine over Fluss's tables, for the union-read scenario (Flink, in benchmarks/peers-lake). */
    public interface UnionReadQuery {
        /** {@code SELECT COUNT(*), SUM(c4)} over the whole table in batch mode; returns the count. */
        long countAll(String bootstrap, TablePath table) throws Exception;
    }

    private static final String DATABASE = "bench";
    private final PeerDriver.Workload workload;
    private final TablePath path;
    private final UnionReadQuery unionReadQuery;

    FlussDriver(PeerDriver.Workload workload) {
        this(workload, null);
    }

    public FlussDriver(PeerDriver.Workload workload, UnionReadQuery unionReadQuery) {
        this.workload = workload;
        this.path = TablePath.of(DATABASE, workload.table());
        this.unionReadQuery = unionReadQuery;
    }

    public DriverResult run(String scenario) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("bootstrap.servers", workload.bootstrap());
        // As the other writers: acks from all in-sync replicas, batches sent after at most 5 ms; and
        // a fetch waits at most 100 ms for data, like Kafka's consumer here.
        conf.setString("client.writer.acks", "all");
        conf.setString("client.writer.batch-timeout", "5ms");
        conf.setString("client.scanner.log.fetch.wait-max-time", "100ms");
        // Its lookuper otherwise holds a key up to 100 ms for a batch; Thermocline's batches without a timer.
        conf.setString("client.lookup.batch-timeout", "1ms");
        try (Connection connection = ConnectionFactory.createConnection(conf)) {
            createTable(connection.getAdmin(), scenario);
            try (Table table = connection.getTable(path)) {
                return switch (scenario) {
                    case "append" -> append(table);
                    case "latency" -> latency(table);
                    case "projection" -> projectedRead(table);
                    case "kv" -> keyValue(table);
                    case "lake" -> lake(table);
                    case "union-read" -> unionRead(connection.getAdmin(), table);
                    default -> throw new IllegalArgumentException("Unknown scenario " + scenario);
                };
            }
        }
    }

    private void createTable(Admin admin, String scenario) throws Exception {
        boolean primaryKey = scenario.equals("kv");
        boolean lake = scenario.startsWith("lake") || scenario.equals("union-read");
        admin.createDatabase(DATABASE, DatabaseDescriptor.EMPTY, true).get(60, TimeUnit.SECONDS);
        Schema.Builder schema = Schema.newBuilder();
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
        TableDescriptor.Builder table = TableDescriptor.builder().schema(schema.build())
                .distributedBy(workload.buckets(), UnionReadRun.bucketKeys(scenario, BenchRow.columnName(0)))
                .property("table.replication.factor", Integer.toString(workload.rf()));
        if (lake) {
            table.property("table.datalake.enabled", "true").property("table.datalake.freshness", workload.freshness());
        }
        admin.createTable(path, table.build(), false).get(60, TimeUnit.SECONDS);
    }

    private static GenericRow row(long index, long firstLong) {
        GenericRow row = new GenericRow(BenchRow.COLUMNS);
        for (int column = 0; column < BenchRow.COLUMNS; column++) {
            Object value = BenchRow.value(index, column, firstLong);
            row.setField(column, value instanceof String text ? BinaryString.fromString(text) : value);
        }
        return row;
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
        AppendWriter writer = table.newAppend().createWriter();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        CompletableFuture<?> last = null;
        for (long i = 0; i < workload.rows(); i++) {
            last = writer.append(row(i, BenchRow.longAt(i, 0))).whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        writer.flush();
        if (last != null) {
            last.get(60, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("a write failed", failure.get());
        }
        return new DriverResult().put("rows", workload.rows()).put("seconds", seconds)
                .put("rows_per_s", workload.rows() / seconds);
    }

    private LogScanner scanner(Table table, int[] projection) {
        LogScanner scanner = projection == null ? table.newScan().createLogScanner()
                : table.newScan().project(projection).createLogScanner();
        for (int bucket = 0; bucket < workload.buckets(); bucket++) {
            scanner.subscribe(bucket, LogScanner.EARLIEST_OFFSET);
        }
        return scanner;
    }

    private DriverResult latency(Table table) throws Exception {
        AppendWriter writer = table.newAppend().createWriter();
        return LatencyRun.run(workload.rate(), workload.seconds(), () -> {
            LogScanner scanner = scanner(table, null);
            return new LatencyRun.Reader() {
                @Override
                public long[] poll() {
                    return java.util.stream.StreamSupport.stream(scanner.poll(Duration.ofMillis(100)).spliterator(),
                            false).mapToLong(record -> record.getRow().getLong(0)).toArray();
                }

                @Override
                public void close() throws Exception {
                    scanner.close();
                }
            };
        }, rowWriter(writer));
    }

    private DriverResult keyValue(Table table) throws Exception {
        UpsertWriter writer = table.newUpsert().createWriter();
        Lookuper lookuper = table.newLookup().createLookuper();
        return KvRun.run(workload.rows(), workload.lookups(), new KvRun.Table() {
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
                GenericRow row = new GenericRow(1);
                row.setField(0, key);
                return lookuper.lookup(row).thenApply(found -> found.getSingletonRow() != null);
            }
        });
    }

    private DriverResult projectedRead(Table table) throws Exception {
        append(table);
        return ReadRun.run(workload.rows(), workload.passes(), BenchRow.PROJECTION.length, () -> {
            LogScanner scanner = scanner(table, BenchRow.PROJECTION);
            return new ReadRun.Reader() {
                @Override
                public long poll() {
                    return scanner.poll(Duration.ofMillis(100)).count();
                }

                @Override
                public void close() throws Exception {
                    scanner.close();
                }
            };
        });
    }

    private DriverResult lake(Table table) throws Exception {
        AppendWriter writer = table.newAppend().createWriter();
        return LakeRun.run(workload.rows(), workload.rate(), rowWriter(writer));
    }

    private DriverResult unionRead(Admin admin, Table table) throws Exception {
        if (unionReadQuery == null) {
            throw new IllegalArgumentException("the union-read scenario runs from benchmarks/peers-lake (Flink 1.20)");
        }
        AppendWriter writer = table.newAppend().createWriter();
        return UnionReadRun.run(workload.rows(), workload.queries(), new UnionReadRun.Table() {
            @Override
            public void write(long index) {
                writer.append(row(index, BenchRow.longAt(index, 0)));
            }

            @Override
            public void flush() {
                writer.flush();
            }

            @Override
            public long lakeRows() throws Exception {
                try {
                    return admin.getLatestLakeSnapshot(path).get(60, TimeUnit.SECONDS).getTableBucketsOffset().values()
                            .stream().mapToLong(Long::longValue).sum();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof org.apache.fluss.exception.LakeTableSnapshotNotExistException) {
                        return 0;
                    }
                    throw e;
                }
            }

            @Override
            public long countAll() throws Exception {
                return unionReadQuery.countAll(workload.bootstrap(), path);
            }
        });
    }
}
