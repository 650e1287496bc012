package io.thermocline.benchmarks.versus;

import io.thermocline.benchmarks.peers.BenchRow;
import io.thermocline.benchmarks.peers.DriverResult;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.IcebergSink;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer of the lake scenario that a Kafka + Flink + Iceberg user runs today: Iceberg's own Flink
 * streaming sink ({@link IcebergSink}) committing on every checkpoint. {@code IcebergSinkDriver
 * lake bootstrap=WAREHOUSE table=NAME rows=N rate=R freshness=CHECKPOINT_INTERVAL}: a local Flink
 * job generates the benchmark rows, each with its write time in column 0, at {@code rate} rows/s
 * (0: as fast as it goes), into table {@code bench.NAME} of a Hadoop catalog. The source stands in
 * for Kafka, which would only add its own latency; the harness then reads the table as for the others.
 */
public final class IcebergSinkDriver {
    private IcebergSinkDriver() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        if (!args[0].equals("lake")) {
            throw new IllegalArgumentException("Iceberg's Flink sink has only the lake scenario, not " + args[0]);
        }
        long rows = Long.parseLong(options.getOrDefault("rows", "100000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "0"));
        Duration checkpoints = parseSeconds(options.getOrDefault("freshness", "1s"));
        String warehouse = options.get("bootstrap");
        TableIdentifier id = TableIdentifier.of(Namespace.of("bench"), options.get("table"));
        try (HadoopCatalog catalog = new HadoopCatalog(new Configuration(), warehouse)) {
            catalog.createTable(id, schema(), PartitionSpec.unpartitioned());
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(checkpoints.toMillis());
        RowType rowType = rowType();
        DataGeneratorSource<RowData> source = new DataGeneratorSource<>(IcebergSinkDriver::row, rows,
                rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp(),
                InternalTypeInfo.of(rowType));
        DataStream<RowData> stream = env.fromSource(source, WatermarkStrategy.noWatermarks(), "rows");
        CatalogLoader catalog = CatalogLoader.hadoop("bench", new Configuration(), Map.of("warehouse", warehouse));
        IcebergSink.forRowData(stream).tableLoader(TableLoader.fromCatalog(catalog, id)).append();
        long start = System.nanoTime();
        env.execute("iceberg-sink"); // bounded: ends after the final checkpoint committed the last rows
        double seconds = (System.nanoTime() - start) / 1e9;
        new DriverResult().put("rows", rows).put("write_seconds", seconds).put("write_rows_per_s", rows / seconds)
                .print();
        System.exit(0);
    }

    private static Duration parseSeconds(String text) {
        if (!text.endsWith("s")) {
            throw new IllegalArgumentException("freshness takes seconds, like 1s, not " + text);
        }
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
    }

    private static RowData row(long index) {
        GenericRowData row = new GenericRowData(BenchRow.COLUMNS);
        long now = System.currentTimeMillis();
        for (int column = 0; column < BenchRow.COLUMNS; column++) {
            Object value = BenchRow.value(index, column, now);
            row.setField(column, value instanceof String text ? StringData.fromString(text) : value);
        }
        return row;
    }

    private static Schema schema() {
        List<Types.NestedField> fields = new ArrayList<>();
        for (int column = 0; column < BenchRow.COLUMNS; column++) {
            Type type = switch (BenchRow.kind(column)) {
                case BIGINT -> Types.LongType.get();
                case INT -> Types.IntegerType.get();
                case DOUBLE -> Types.DoubleType.get();
                case STRING -> Types.StringType.get();
            };
            fields.add(Types.NestedField.optional(column + 1, BenchRow.columnName(column), type));
        }
        return new Schema(fields);
    }

    private static RowType rowType() {
        List<RowType.RowField> fields = new ArrayList<>();
        for (int column = 0; column < BenchRow.COLUMNS; column++) {
            LogicalType type = switch (BenchRow.kind(column)) {
                case BIGINT -> new BigIntType();
                case INT -> new IntType();
                case DOUBLE -> new DoubleType();
                case STRING -> new VarCharType(VarCharType.MAX_LENGTH);
            };
            fields.add(new RowType.RowField(BenchRow.columnName(column), type));
        }
        return new RowType(fields);
    }
}
