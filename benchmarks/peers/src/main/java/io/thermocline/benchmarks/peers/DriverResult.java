package io.thermocline.benchmarks.peers;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a driver measured, printed as one {@code RESULT key=value ...} line the harness parses:
 * the same for every system, so that the harness treats Thermocline and its peers alike.
 */
public final class DriverResult {
    public static final String PREFIX = "RESULT ";
    private final Map<String, Double> values = new TreeMap<>();

    public DriverResult put(String key, double value) {
        values.put(key, value);
        return this;
    }

    /** Percentiles in milliseconds of latencies given in nanoseconds. */
    public DriverResult latencies(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        put("samples", sorted.length);
        if (sorted.length > 0) {
            put("p50_ms", percentile(sorted, 0.50));
            put("p99_ms", percentile(sorted, 0.99));
            put("p999_ms", percentile(sorted, 0.999));
        }
        return this;
    }

    private static double percentile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    public Map<String, Double> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    public void print() {
        StringBuilder line = new StringBuilder(PREFIX);
        values.forEach((key, value) -> line.append(key).append('=').append(String.format(Locale.ROOT, "%.6f", value))
                .append(' '));
        System.out.println(line.toString().trim());
        System.out.flush();
    }

    /** Parses a {@code RESULT} line. */
    public static Map<String, Double> parse(String line) {
        Map<String, Double> parsed = new TreeMap<>();
        for (String pair : line.substring(PREFIX.length()).trim().split(" ")) {
            int eq = pair.indexOf('=');
            parsed.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
        }
        return parsed;
    }
}
