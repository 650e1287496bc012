package io.thermocline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the JMH JSON result of {@link LakeWriterBenchmark} into a Markdown report: rows/s and
 * MB/s (of hot-tier batch bytes) of both write paths and their ratio, measured in the same run.
 *
 * <p>Usage: {@code TieringReport results.json report.md}
 */
public final class TieringReport {
    private TieringReport() {}

    public static void main(String[] args) throws IOException {
        Map<String, double[]> scores = new HashMap<>();
        for (JsonNode result : new ObjectMapper().readTree(Paths.get(args[0]).toFile())) {
            String name = result.get("benchmark").asText().replaceAll(".*\\.", "");
            JsonNode metric = result.get("primaryMetric");
            scores.put(name, new double[] {metric.get("score").asDouble(), metric.get("scoreError").asDouble()});
        }
        double bytesPerRow = LakeWriterBenchmark.hotBytesPerRow();
        double[] arrow = scores.get("arrowToParquet");
        double[] generic = scores.get("genericRecords");
        StringBuilder md = new StringBuilder("# Tiering write path: Arrow to Parquet\n\n");
        md.append(BenchmarkReports.machine()).append('\n');
        md.append(String.format(Locale.ROOT, "The same %d decoded log batches of %d rows (about 1 KiB in 20 columns, %.0f"
                + " bytes per row in the hot tier) written as one zstd Parquet data file of a real Iceberg table"
                + " (local Hadoop warehouse), JMH, one fork, same run.%n%n", LakeWriterBenchmark.BATCHES,
                LakeWriterBenchmark.ROWS_PER_BATCH, bytesPerRow));
        md.append("| write path | rows/s | error | MB/s |\n|---|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| Arrow vectors to Parquet column writers (Thermocline) | %.0f | %.0f | %.1f |%n",
                arrow[0], arrow[1], arrow[0] * bytesPerRow / 1e6));
        md.append(String.format(Locale.ROOT, "| generic records + Iceberg's generic Parquet writer | %.0f | %.0f | %.1f |%n",
                generic[0], generic[1], generic[0] * bytesPerRow / 1e6));
        md.append(String.format(Locale.ROOT, "%n**Ratio: %.2fx** (target: at least 2x).%n", arrow[0] / generic[0]));
        BenchmarkReports.write(Paths.get(args[1]), md.toString());
    }
}
