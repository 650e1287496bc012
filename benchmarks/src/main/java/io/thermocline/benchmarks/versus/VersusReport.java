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
    private static final List<String> PEERS = List.of("Kafka", "Fluss");

    private VersusReport() {}

    static void write(Path results, VersusBenchmark.Settings settings,
            Map<String, Map<String, List<Map<String, Double>>>> measured, boolean smoke, String command)
            throws Exception {
        Files.createDirectories(results);
        String prefix = smoke ? "versus-smoke" : "versus";
        StringBuilder md = new StringBuilder("# Thermocline vs Apache Kafka and Apache Fluss\n\n");
        md.append("Produced by `benchmarks/run-versus.sh").append(smoke ? " --smoke" : "").append("` (`VersusBenchmark ")
                .append(command).append("`): every system started on this machine in JVMs of its own, ")
                .append(settings.nodes()).append(" node(s), each case run ").append(settings.runs())
                .append(" time(s) by a driver JVM of the system's own Java client; medians below.")
                .append(" Kafka 4.1 (KRaft), Fluss 0.9.1-incubating, both from Maven Central. Rows: 4 BIGINT, 4 INT,")
                .append(" 2 DOUBLE, 10 STRING of 90 characters (about 1 KiB); Kafka gets them as 984-byte values.")
                .append(" Writers wait for every in-sync replica (acks=all) and send a batch after at most 5 ms (Kafka's")
                .append(" linger.ms, Fluss's client.writer.batch-timeout, Thermocline's default); Kafka's and Fluss's")
                .append(" consumers wait at most 100 ms per fetch (Thermocline's reads are pushed); Fluss's lookuper waits")
                .append(" at most 1 ms to batch keys (Thermocline's batches without a timer); compression is each")
                .append(" system's default. Every server is a JVM of its own: Kafka's brokers (node 1 also the controller) and")
                .append(" Fluss's ZooKeeper, coordinator and tablet servers with 1 GB heaps; Thermocline's tablet servers")
                .append(" with 512 MB, its ZooKeeper and coordinator sharing one JVM. Drivers get 2 GB.\n\n")
                .append(BenchmarkReports.machine()).append("\n");
        if (smoke) {
            md.append("**Smoke mode**: tiny data and one run, to keep the harness working; not a measurement.\n\n");
        }
        List<String> throughputCases = new ArrayList<>();
        List<String> latencyCases = new ArrayList<>();
        List<String> kvCases = new ArrayList<>();
        for (VersusBenchmark.Case c : settings.cases()) {
            (c.scenario().equals("latency") ? latencyCases : c.scenario().equals("kv") ? kvCases : throughputCases)
                    .add(c.label());
        }
        md.append("## Throughput (rows/s, higher is better)\n\n| case | Thermocline | Kafka | Fluss | vs Kafka | vs Fluss |\n")
                .append("|---|---|---|---|---|---|\n");
        for (String label : throughputCases) {
            double ours = median(measured, "Thermocline", label, "rows_per_s");
            md.append("| ").append(label).append(" | ").append(fmt(ours));
            for (String peer : PEERS) {
                md.append(" | ").append(fmt(median(measured, peer, label, "rows_per_s")));
            }
            for (String peer : PEERS) {
                md.append(" | ").append(ratio(ours / median(measured, peer, label, "rows_per_s")));
            }
            md.append(" |\n");
        }
        md.append("\nThe projection case reads 2 of the 20 columns from Thermocline and Fluss (server-side"
                + " projection); Kafka cannot project and reads whole rows.\n\n");
        md.append("## Produce-to-consume latency (ms, lower is better)\n\n| case | percentile | Thermocline | Kafka"
                + " | Fluss | vs Kafka | vs Fluss |\n|---|---|---|---|---|---|---|\n");
        for (String label : latencyCases) {
            for (String p : List.of("p50_ms", "p99_ms", "p999_ms")) {
                double ours = median(measured, "Thermocline", label, p);
                md.append("| ").append(label).append(" | ").append(p.replace("_ms", "")).append(" | ").append(fmt(ours));
                for (String peer : PEERS) {
                    md.append(" | ").append(fmt(median(measured, peer, label, p)));
                }
                for (String peer : PEERS) {
                    md.append(" | ").append(ratio(median(measured, peer, label, p) / ours));
                }
                md.append(" |\n");
            }
        }
        md.append("\n## Primary-key tables (Thermocline vs Fluss; Kafka has none)\n\n| measure | Thermocline | Fluss |"
                + " vs Fluss |\n|---|---|---|---|\n");
        for (String label : kvCases) {
            for (String[] measure : new String[][] {{"upsert_rows_per_s", "upserts (rows/s)", "up"},
                {"lookups_per_s", "point lookups one at a time (/s)", "up"},
                {"p50_ms", "point lookup p50 (ms)", "down"}, {"p99_ms", "point lookup p99 (ms)", "down"},
                {"batched_lookups_per_s", "point lookups, 100 in flight (/s)", "up"}}) {
                double ours = median(measured, "Thermocline", label, measure[0]);
                double fluss = median(measured, "Fluss", label, measure[0]);
                md.append("| ").append(measure[1]).append(" | ").append(fmt(ours)).append(" | ").append(fmt(fluss))
                        .append(" | ").append(ratio(measure[2].equals("up") ? ours / fluss : fluss / ours)).append(" |\n");
            }
        }
        md.append("\nRatios are Thermocline's advantage: its rows/s over the peer's, or the peer's latency over its"
                + " own. Charts: `").append(prefix).append("-throughput.png`, `").append(prefix)
                .append("-latency.png`.\n");
        chart(results.resolve(prefix + "-throughput.png"), "Throughput (rows/s)", throughputCases, measured,
                "rows_per_s");
        chart(results.resolve(prefix + "-latency.png"), "p99 produce-to-consume latency (ms)", latencyCases, measured,
                "p99_ms");
        BenchmarkReports.write(results.resolve(prefix + ".md"), md.toString());
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
