package io.thermocline.benchmarks;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.flink.source.ThermoclineSource;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.lake.LakeTableLayout;
import io.thermocline.server.tools.LocalCluster;
import io.thermocline.tiering.TieringJob;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Freshness of a lake-enabled table whose lake freshness is 1 minute: how long after a write is
 * acknowledged a batch read sees it. Thermocline's union read (the lake, then the hot rows after
 * it) against the peer a Kafka + Flink + Iceberg user has, the Iceberg table alone (what
 * {@code t$lake} reads), measured in the same run on the same cluster with the tiering job
 * running. Writes run in several rounds spread over the tiering cycle.
 *
 * <p>Args: report path (default benchmarks/results/freshness.md), rounds (default 5).
 */
public final class FreshnessBenchmark {
    private static final TablePath TABLE = TablePath.of("bench", "fresh");
    private static final long POLL_MILLIS = 100;

    public static void main(String[] args) throws Exception {
        Path report = Paths.get(args.length > 0 ? args[0] : "benchmarks/results/freshness.md");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("tc-freshness");
        LocalCluster cluster = new LocalCluster(dir, 19280, 1).start();
        Map<String, String> client = Map.of("bootstrap.servers", cluster.bootstrapServers(), "lake.catalog.warehouse",
                cluster.lakeWarehouse().toString());
        StreamExecutionEnvironment tieringEnv = StreamExecutionEnvironment.getExecutionEnvironment();
        TieringJob.of(client).addTo(tieringEnv);
        JobClient tiering = null;
        try (Connection connection = ConnectionFactory.create(new Configuration(client))) {
            connection.admin().createDatabase("bench", null, true).get();
            connection.admin().createTable(TABLE, TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.BIGINT().notNull()).column("v", DataTypes.STRING()).build())
                    .buckets(2, "id").options(Map.of("table.datalake.enabled", "true",
                            "table.datalake.freshness", "1 min")).build(), true).get();
            TableInfo info = connection.admin().getTable(TABLE).get();
            tiering = tieringEnv.executeAsync("tiering");
            List<long[]> results = new ArrayList<>(); // {union visible ms, union query ms, lake visible ms}
            try (AppendWriter writer = connection.table(TABLE).newAppendWriter();
                    LakeCatalog lake = new LakeCatalog(client)) {
                Table iceberg = lake.loadTable(new LakeTableLayout(TABLE, info.tableId(), info.schema(),
                        info.partitionKeys(), info.bucketKeys(), info.bucketCount()));
                for (int round = 0; round < rounds; round++) {
                    long id = round;
                    writer.append(GenericRow.of(id, BinaryString.fromString("round " + round))).get();
                    long acked = System.nanoTime();
                    long[] union = unionReadVisibility(client, id, acked);
                    long lakeVisible = lakeVisibility(iceberg, id, acked);
                    results.add(new long[] {union[0], union[1], lakeVisible});
                    System.out.printf(Locale.ROOT, "round %d: union read sees the row %d ms after its ack (query"
                            + " %d ms); the lake alone after %d ms%n", round, union[0], union[1], lakeVisible);
                    Thread.sleep(7_000 + 3_000L * round); // spread the writes over the tiering cycle
                }
            }
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, report(results));
        } finally {
            if (tiering != null) {
                tiering.cancel().get();
            }
            cluster.close();
        }
    }

    /**
     * Starts bounded union reads from the ack on until one returns the row: {when the read that saw
     * it started, ms after the ack; how long that read took, ms}.
     */
    private static long[] unionReadVisibility(Map<String, String> client, long id, long acked) throws Exception {
        while (true) {
            long start = System.nanoTime();
            boolean seen = false;
            ThermoclineSource source = ThermoclineSource.builder().clientOptions(client).table(TABLE).bounded(true)
                    .project("id").build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            try (CloseableIterator<RowData> rows = env.fromSource(source, WatermarkStrategy.noWatermarks(), "union")
                    .executeAndCollect()) {
                while (rows.hasNext()) {
                    seen |= rows.next().getLong(0) == id;
                }
            }
            long end = System.nanoTime();
            if (seen) {
                return new long[] {(start - acked) / 1_000_000, (end - start) / 1_000_000};
            }
        }
    }

    /** Polls the Iceberg table's newest snapshot until it holds the row: ms after the ack. */
    private static long lakeVisibility(Table iceberg, long id, long acked) throws Exception {
        while (true) {
            iceberg.refresh();
            if (iceberg.currentSnapshot() != null) {
                try (CloseableIterable<Record> rows = IcebergGenerics.read(iceberg)
                        .where(Expressions.equal("id", id)).build()) {
                    if (rows.iterator().hasNext()) {
                        return (System.nanoTime() - acked) / 1_000_000;
                    }
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static String report(List<long[]> results) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "# Freshness benchmark%n%n"
                + "One lake-enabled log table, `table.datalake.freshness` = 1 min, the tiering job running on a local"
                + " Flink. Each round writes one row, waits for its ack, then measures when a batch read first"
                + " returns it: Thermocline's union read (newest lake snapshot, then the hot rows after it; reads"
                + " started back to back from the ack on) and the peer, the Iceberg table alone (what a Kafka +"
                + " Flink + Iceberg pipeline serves, and what `t$lake` reads; polled every %d ms). One machine,"
                + " %d cores.%n%n| round | union read: visible after (ms) | union read: query took (ms) |"
                + " Iceberg alone: visible after (ms) |%n|---:|---:|---:|---:|%n", POLL_MILLIS,
                Runtime.getRuntime().availableProcessors()));
        for (int i = 0; i < results.size(); i++) {
            long[] r = results.get(i);
            md.append(String.format(Locale.ROOT, "| %d | %d | %d | %d |%n", i, r[0], r[1], r[2]));
        }
        long[] unionVisible = results.stream().mapToLong(r -> r[0]).sorted().toArray();
        long[] unionTotal = results.stream().mapToLong(r -> r[0] + r[1]).sorted().toArray();
        long[] lake = results.stream().mapToLong(r -> r[2]).sorted().toArray();
        long medianUnion = unionTotal[unionTotal.length / 2];
        long medianLake = lake[lake.length / 2];
        md.append(String.format(Locale.ROOT, "%nMedian: the union read that first returns a row starts %d ms after"
                        + " its ack and has the answer %d ms after it; the Iceberg table alone has the row %d ms after"
                        + " the ack. Iceberg alone / union read (time to an answer holding the row): %.0fx.%n",
                unionVisible[unionVisible.length / 2], medianUnion, medianLake, medianLake / (double) medianUnion));
        return md.toString();
    }
}
