package io.thermocline.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/** What the benchmark reports share: percentiles of latencies, and writing the Markdown. */
public final class BenchmarkReports {
    private BenchmarkReports() {}

    /** The {@code p} percentile (0 to 1) of sorted nanosecond latencies, in milliseconds. */
    public static double percentileMillis(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** The machine's facts, to print with every report. */
    public static String machine() throws IOException {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        FileStore store = Files.getFileStore(Paths.get(System.getProperty("java.io.tmpdir")));
        return String.format(Locale.ROOT, "Machine: %d cores, %.1f GiB memory, temp disk %s (%.0f GiB), %s %s, Java %s.%n",
                Runtime.getRuntime().availableProcessors(), memory / (double) (1L << 30), store.name(),
                store.getTotalSpace() / (double) (1L << 30), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    /** Writes the report and prints it. */
    public static void write(Path report, String markdown) throws IOException {
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, markdown);
        System.out.print(markdown);
    }
}
