package io.thermocline.benchmarks.versus;

import io.thermocline.benchmarks.BenchmarkReports;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a {@link VersusBenchmark} run: for each case, every system's median over the
 * runs and Thermocline's ratio to each peer (above 1 means Thermocline is better: more rows/s, or
 * lower latency), with PNG charts beside it.
 */
final class VersusReport {
    private VersusReport() {}

    static void write(Path results, VersusBenchmark.Settings settings,
            Map<String, Map<String, List<Map<String, Double>>>> measured) throws Exception {
        Files.createDirectories(results);
        String prefix = settings.name();
        boolean smoke = settings.smoke();
        StringBuilder md = new StringBuilder("# Thermocline vs Apache Kafka, Apache Fluss, Redis and Iceberg's Flink"
                + " sink\n\n");
        md.append("Produced by `benchmarks/run.sh ").append(settings.command()).append("`: every system started on")
                .append(" this machine in processes of its own, ").append(settings.nodes())
                .append(" node(s), each case run ").append(settings.runs())
                .append(" time(s) by a driver JVM of the system's own Java client; medians below.")
                .append(" Kafka 4.1 (KRaft), Fluss 0.9.1-incubating, both from Maven Central; Redis from Debian's")
                .append(" package. Rows: 4 BIGINT, 4 INT, 2 DOUBLE, 10 STRING of 90 characters (about 1 KiB); Kafka")
                .append(" and Redis get them as 984-byte values. Writers wait for every in-sync replica (acks=all) and")
                .append(" send a batch after at most 5 ms (Kafka's linger.ms, Fluss's client.writer.batch-timeout,")
                .append(" Thermocline's default); Kafka's and Fluss's consumers wait at most 100 ms per fetch")
                .append(" (Thermocline's reads are pushed); Fluss's lookuper waits at most 1 ms to batch keys")
                .append(" (Thermocline's batches without a timer); compression is each system's default. Every server")
                .append(" is a JVM of its own: Kafka's brokers (node 1 also the controller) and Fluss's ZooKeeper,")
                .append(" coordinator and tablet servers with 1 GB heaps; Thermocline's tablet servers with 512 MB,")
                .append(" its ZooKeeper and coordinator sharing one JVM. Drivers get 2 GB. Lake cases: Thermocline's")
                .append(" tiering job and Fluss's tiering service (fluss-flink-tiering on Flink 1.20, the")
                .append(" fluss-lake-iceberg plugin in its servers) each on a local Flink in a JVM of its own, tiering")
                .append(" into an Iceberg Hadoop catalog on local disk; Iceberg's Flink sink (iceberg-flink-2.1 1.11)")
                .append(" runs in its driver's local Flink.\n\n")
                .append(BenchmarkReports.machine()).append("\n");
        if (smoke) {
            md.append("**Smoke mode**: tiny data and one run, to keep the harness working; not a measurement.\n\n");
        }
        List<String> throughputCases = labels(settings, "append", "projection");
        List<String> latencyCases = labels(settings, "latency");
        List<String> freshnessCases = labels(settings, "lake freshness");
        section(md, "Throughput (rows/s, higher is better)", throughputCases, measured,
                List.of(new Measure("rows_per_s", "rows/s", true)), "The projection case reads 2 of the 20 columns"
                        + " from Thermocline and Fluss (server-side projection); Kafka cannot project and reads whole"
                        + " rows. Each run reads the table from its start several times, each time with a new reader;"
                        + " the first pass warms up and is left out, the run's figure is the median of the others.");
        section(md, "Produce-to-consume latency (ms, lower is better)", latencyCases, measured, List.of(
                new Measure("p50_ms", "p50", false), new Measure("p99_ms", "p99", false),
                new Measure("p999_ms", "p999", false)), "");
        section(md, "Primary-key tables (Kafka has none)", labels(settings, "kv"), measured, List.of(
                new Measure("upsert_rows_per_s", "upserts (rows/s)", true),
                new Measure("lookups_per_s", "point lookups one at a time (/s)", true),
                new Measure("p50_ms", "point lookup p50 (ms)", false),
                new Measure("p99_ms", "point lookup p99 (ms)", false),
                new Measure("batched_lookups_per_s", "point lookups, 100 in flight (/s)", true)),
                "Redis keeps its keys in memory only (no persistence, no replica), spoken to over one pipelined"
                        + " connection; Thermocline and Fluss keep them in RocksDB behind a replicated log."
                        + (measured.containsKey("Redis") ? "" : " **Redis was not measured in this run**:"
                                + " `redis-server` is not installed (`benchmarks/run.sh` installs Debian's package)."));
        section(md, "Into the lake (rows/s from the first write to the commit holding the last row, higher is"
                + " better)", labels(settings, "write to lake"), measured,
                List.of(new Measure("lake_rows_per_s", "rows/s", true)), "");
        section(md, "Lake freshness (ms from a row's write to the commit of the Iceberg snapshot holding it, lower"
                + " is better)", freshnessCases, measured, List.of(new Measure("p50_ms", "p50", false),
                        new Measure("p99_ms", "p99", false), new Measure("max_ms", "max", false)),
                "Every lake case is read back from the system's Iceberg table by the harness itself, the same code"
                        + " for all: each snapshot's appended rows carry their write time, compared with the snapshot's"
                        + " commit time. The freshness setting is `table.datalake.freshness` for Thermocline and Fluss,"
                        + " and the checkpoint interval for Iceberg's sink, which commits on checkpoints. Rows are"
                        + " written at 1,000 rows/s for the freshness cases and as fast as the writer goes for the"
                        + " throughput case (Iceberg's sink: its job's own generator, no Kafka before it, which spares"
                        + " it a hop a real pipeline has). Fluss's tiering service asks for a due table every 200 ms"
                        + " (`tiering.poll.table.interval`, 30 s by default), as Thermocline's job does.");
        List<String> unionCases = labels(settings, "union-read");
        StringBuilder lakeRows = new StringBuilder();
        for (String system : measured.keySet()) {
            for (String label : unionCases) {
                double rows = median(measured, system, label, "lake_rows_before");
                if (!Double.isNaN(rows)) {
                    lakeRows.append(lakeRows.length() == 0 ? " " : "; ").append(system).append(" ").append(fmt(rows))
                            .append(" of ").append(fmt(median(measured, system, label, "rows")));
                }
            }
        }
        section(md, "Union read (ms per batch query over a table split across the tiers, lower is better)",
                unionCases, measured, List.of(new Measure("query_ms", "median query", false),
                        new Measure("min_query_ms", "fastest query", false)),
                "`SELECT COUNT(*), SUM(c4)` in Flink batch mode over a log table whose first half is in Iceberg and"
                        + " second half only in the hot tier, three queries in one run, each in a new session (planning"
                        + " and job start included): Thermocline's catalog on Flink 2.1, Fluss's connector on Flink"
                        + " 1.20. Rows go to the table's buckets by their first column, so that no bucket is empty"
                        + " (Fluss 0.9.1's batch union read never ends on an empty bucket: apache/fluss#2957, #3972)."
                        + " Every answer counts every row. Lake rows when the queries ran:" + lakeRows + ".");
        md.append("Ratios are Thermocline's advantage: its rows/s over the peer's, or the peer's time over its"
                + " own. Charts: `").append(prefix).append("-throughput.png`, `").append(prefix)
                .append("-latency.png`, `").append(prefix).append("-lake.png`.\n");
        chart(results.resolve(prefix + "-throughput.png"), "Throughput (rows/s)", throughputCases, measured,
                "rows_per_s");
        chart(results.resolve(prefix + "-latency.png"), "p99 produce-to-consume latency (ms)", latencyCases, measured,
                "p99_ms");
        chart(results.resolve(prefix + "-lake.png"), "p50 lake freshness (ms)", freshnessCases, measured, "p50_ms");
        BenchmarkReports.write(results.resolve(prefix + ".md"), md.toString());
    }

    /** A figure a scenario reports: its result key, its name in the report, and which way is better. */
    record Measure(String key, String name, boolean higherIsBetter) {}

    /** The labels of the cases of these scenarios, or whose labels begin with one of these words. */
    private static List<String> labels(VersusBenchmark.Settings settings, String... scenarios) {
        List<String> labels = new ArrayList<>();
        for (VersusBenchmark.Case c : settings.cases()) {
            if (List.of(scenarios).contains(c.scenario())
                    || List.of(scenarios).stream().anyMatch(c.label()::startsWith)) {
                labels.add(c.label());
            }
        }
        return labels;
    }

    /**
     * One table and the note below it (none when empty): a row per case and measure, a column per
     * system that ran those cases (Thermocline first), then Thermocline's ratio to each of those peers.
     */
    private static void section(StringBuilder md, String title, List<String> cases,
            Map<String, Map<String, List<Map<String, Double>>>> measured, List<Measure> measures, String note) {
        if (cases.isEmpty()) {
            return;
        }
        List<String> systems = new ArrayList<>();
        measured.forEach((system, byCase) -> {
            if (cases.stream().anyMatch(byCase::containsKey)) {
                systems.add(system);
            }
        });
        List<String> peers = systems.subList(1, systems.size());
        md.append("## ").append(title).append("\n\n| case | measure | ").append(String.join(" | ", systems));
        peers.forEach(peer -> md.append(" | vs ").append(peer));
        md.append(" |\n|---|---").append("|---".repeat(systems.size() + peers.size())).append("|\n");
        for (String label : cases) {
            for (Measure measure : measures) {
                double ours = median(measured, systems.get(0), label, measure.key());
                md.append("| ").append(label).append(" | ").append(measure.name());
                for (String system : systems) {
                    md.append(" | ").append(fmt(median(measured, system, label, measure.key())));
                }
                for (String peer : peers) {
                    double theirs = median(measured, peer, label, measure.key());
                    md.append(" | ").append(ratio(measure.higherIsBetter() ? ours / theirs : theirs / ours));
                }
                md.append(" |\n");
            }
        }
        md.append("\n");
        if (!note.isEmpty()) {
            md.append(note).append("\n\n");
        }
    }

    static double median(Map<String, Map<String, List<Map<String, Double>>>> measured, String system, String label,
            String key) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Double> run : measured.get(system).getOrDefault(label, List.of())) {
            Double value = run.get(key);
            if (value != null) {
                values.add(value);
            }
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        values.sort(Double::compare);
        int mid = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(mid) : (values.get(mid - 1) + values.get(mid)) / 2;
    }

    private static String fmt(double value) {
        return Double.isNaN(value) ? "-" : value >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-" : String.format(Locale.ROOT, "%.2fx", value);
    }

    private static void chart(Path png, String title, List<String> cases,
            Map<String, Map<String, List<Map<String, Double>>>> measured, String key) throws Exception {
        if (cases.isEmpty()) {
            return;
        }
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450).title(title).yAxisTitle(key).build();
        for (String system : measured.keySet()) {
            if (cases.stream().noneMatch(measured.get(system)::containsKey)) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            for (String label : cases) {
                double value = median(measured, system, label, key);
                values.add(Double.isNaN(value) ? 0 : value);
            }
            chart.addSeries(system, cases, values);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
