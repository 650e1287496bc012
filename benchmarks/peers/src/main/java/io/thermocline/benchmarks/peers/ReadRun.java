package io.thermocline.benchmarks.peers;

import java.util.Arrays;

/**
 * The read scenario, the same for every system: the table's {@code rows} rows read from the start
 * {@code passes} times, each pass by a new reader. The first pass warms the client and the servers
 * up and is reported apart; the result is the median rows/s of the other passes (one pass of half a
 * million projected rows takes a fraction of a second, too short to measure once).
 */
public final class ReadRun {
    /** A reader of the whole table from its first offset. */
    public interface Reader extends AutoCloseable {
        /** The rows of one poll, possibly none. */
        long poll() throws Exception;
    }

    /** Opens a new reader at the table's start. */
    public interface Readers {
        Reader open() throws Exception;
    }

    private ReadRun() {}

    public static DriverResult run(long rows, int passes, int columnsRead, Readers readers) throws Exception {
        if (passes < 2) {
            throw new IllegalArgumentException("the read scenario needs a warm-up pass and one to measure, not "
                    + passes + " passes");
        }
        double[] rowsPerSecond = new double[passes];
        for (int pass = 0; pass < passes; pass++) {
            long start = System.nanoTime();
            long read = 0;
            try (Reader reader = readers.open()) {
                while (read < rows) {
                    read += reader.poll();
                }
            }
            if (read != rows) {
                throw new IllegalStateException("pass " + (pass + 1) + " read " + read + " rows of " + rows);
            }
            rowsPerSecond[pass] = rows / ((System.nanoTime() - start) / 1e9);
        }
        double[] measured = Arrays.copyOfRange(rowsPerSecond, 1, passes);
        Arrays.sort(measured);
        return new DriverResult().put("rows", rows).put("passes", passes - 1)
                .put("rows_per_s", measured[measured.length / 2]).put("first_pass_rows_per_s", rowsPerSecond[0])
                .put("columns_read", columnsRead);
    }
}
