package io.thermocline.benchmarks.peers;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The union-read scenario, the same for every system: half of {@code rows} rows written and tiered
 * (the driver waits until the lake holds them), the other half written after, so the table is
 * split across the tiers; then one batch SQL query over the whole table, {@code queries} times.
 * Every answer must count every row. Reports the median query time and how many rows the lake held.
 */
public final class UnionReadRun {
    /** A system's lake-enabled table and its SQL engine. */
    public interface Table {
        void write(long index) throws Exception;

        /** Waits for every write's ack. */
        void flush() throws Exception;

        /** Rows the table's newest lake snapshot holds. */
        long lakeRows() throws Exception;

        /** Runs {@code SELECT COUNT(*), SUM(c4) FROM the table} in batch mode; returns the count. */
        long countAll() throws Exception;
    }

    private UnionReadRun() {}

    public static DriverResult run(long rows, int queries, Table table) throws Exception {
        long half = rows / 2;
        for (long i = 0; i < half; i++) {
            table.write(i);
        }
        table.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (table.lakeRows() < half) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the lake holds " + table.lakeRows() + " of " + half
                        + " rows after 5 minutes");
            }
            Thread.sleep(200);
        }
        for (long i = half; i < rows; i++) {
            table.write(i);
        }
        table.flush();
        long lakeBefore = table.lakeRows();
        double[] millis = new double[queries];
        for (int q = 0; q < queries; q++) {
            long start = System.nanoTime();
            long count = table.countAll();
            millis[q] = (System.nanoTime() - start) / 1e6;
            if (count != rows) {
                throw new IllegalStateException("the union read counted " + count + " rows of " + rows);
            }
        }
        long lakeAfter = table.lakeRows();
        Arrays.sort(millis);
        return new DriverResult().put("rows", rows).put("query_ms", millis[queries / 2])
                .put("min_query_ms", millis[0]).put("lake_rows_before", lakeBefore).put("lake_rows_after", lakeAfter);
    }
}
