package io.thermocline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result of the foundation benchmarks into a Markdown report of ratios against
 * the baselines measured in the same run, with the machine's facts.
 *
 * <p>Usage: {@code FoundationReport results.json report.md}
 */
public final class FoundationReport {
    private final Map<String, double[]> scores = new LinkedHashMap<>(); // name -> score, error
    private final Map<String, String> units = new LinkedHashMap<>();

    public static void main(String[] args) throws IOException {
        FoundationReport report = new FoundationReport();
        report.load(Paths.get(args[0]));
        String markdown = report.render();
        Files.writeString(Paths.get(args[1]), markdown);
        System.out.print(markdown);
    }

    private void load(Path json) throws IOException {
        for (JsonNode result : new ObjectMapper().readTree(json.toFile())) {
            String name = result.get("benchmark").asText().replaceAll(".*\\.(\\w+Benchmark\\.\\w+)$", "$1");
            JsonNode params = result.get("params");
            if (params != null) {
                StringBuilder sb = new StringBuilder(name);
                params.fields().forEachRemaining(p -> sb.append('[').append(p.getValue().asText()).append(']'));
                name = sb.toString();
            }
            JsonNode metric = result.get("primaryMetric");
            scores.put(name, new double[] {metric.get("score").asDouble(), metric.get("scoreError").asDouble()});
            units.put(name, metric.get("scoreUnit").asText());
        }
    }

    private String render() throws IOException {
        StringBuilder md = new StringBuilder("# Foundation benchmarks\n\n");
        md.append(BenchmarkReports.machine()).append('\n');
        md.append("| benchmark | score | error | unit |\n|---|---:|---:|---|\n");
        scores.forEach((name, s) -> md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s |%n",
                name, s[0], s[1], units.get(name))));
        md.append("\n## Ratios against the baselines of the same run\n\n");
        md.append("| claim | ratio | target |\n|---|---:|---:|\n");
        for (String variant : params("LogAppendBenchmark.bucketLogAppend")) {
            double log = score("LogAppendBenchmark.bucketLogAppend" + variant);
            double raw = score("LogAppendBenchmark.rawFileChannelWrite" + variant);
            double rawDurable = score("LogAppendBenchmark.rawFileChannelWriteAndFsync" + variant);
            int batchBytes = LogAppendBenchmark.batchBytes(Integer.parseInt(variant.replaceAll("\\].*|\\[", "")));
            md.append(String.format(Locale.ROOT, "| append %s: log %.0f MB/s vs raw FileChannel with the same roll and"
                    + " fsync policy %.0f MB/s | %.2f | >= 0.8 |%n",
                    variant, log * batchBytes / 1e6, rawDurable * batchBytes / 1e6, log / rawDurable));
            md.append(String.format(Locale.ROOT, "| append %s: log vs raw FileChannel, never forced, %.0f MB/s | %.2f | |%n",
                    variant, raw * batchBytes / 1e6, log / raw));
        }
        for (String codec : params("ProjectedReadBenchmark.fullRead")) {
            double full = score("ProjectedReadBenchmark.fullRead" + codec);
            double projected = score("ProjectedReadBenchmark.projectedRead" + codec);
            md.append(String.format(Locale.ROOT, "| read 2 of 20 columns %s, decoded: full / projected time | %.1fx | >= 5x |%n",
                    codec, full / projected));
            double fullBytes = score("ProjectedReadBenchmark.fullReadBytes" + codec);
            double projectedBytes = score("ProjectedReadBenchmark.projectedReadBytes" + codec);
            md.append(String.format(Locale.ROOT, "| read 2 of 20 columns %s, server side only: full / projected time | %.1fx | |%n",
                    codec, fullBytes / projectedBytes));
        }
        for (String codec : params("BatchCodecBenchmark.build")) {
            md.append(String.format(Locale.ROOT, "| batch build %s | %.2f M rows/s | |%n", codec,
                    score("BatchCodecBenchmark.build" + codec) / 1e6));
            md.append(String.format(Locale.ROOT, "| batch decode %s (every field read) | %.2f M rows/s | |%n", codec,
                    score("BatchCodecBenchmark.decode" + codec) / 1e6));
        }
        return md.toString();
    }

    private Iterable<String> params(String prefix) {
        return () -> scores.keySet().stream()
                .filter(k -> k.startsWith(prefix + "["))
                .map(k -> k.substring(prefix.length()))
                .iterator();
    }

    private double score(String name) {
        double[] s = scores.get(name);
        return s == null ? Double.NaN : s[0];
    }
}
