package io.thermocline.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmark reports share: percentiles of latencies, and writing the Markdown. */
final class BenchmarkReports {
    private BenchmarkReports() {}

    /** The {@code p} percentile (0 to 1) of sorted nanosecond latencies, in milliseconds. */
    static double percentileMillis(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** Writes the report and prints it. */
    static void write(Path report, String markdown) throws IOException {
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, markdown);
        System.out.print(markdown);
    }
}
