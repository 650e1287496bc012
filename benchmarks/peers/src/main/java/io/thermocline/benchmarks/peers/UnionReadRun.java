package io.thermocline.benchmarks.peers;

import java.time.Instant;
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

    /**
     * The bucket keys of a scenario's table: the union read's rows are spread over the buckets by
     * {@code key}, so that every bucket holds rows. Fluss 0.9.1's batch union read never ends when a
     * bucket is empty (apache/fluss#2957 and #3972, fixed after 0.9.1), which a writer's sticky
     * bucket choice allows with a small table. Other scenarios' tables have none.
     */
    public static String[] bucketKeys(String scenario, String key) {
        return scenario.equals("union-read") ? new String[] {key} : new String[0];
    }

    public static DriverResult run(long rows, int queries, Table table) throws Exception {
        long half = rows / 2;
        for (long i = 0; i < half; i++) {
            table.write(i);
        }
        table.flush();
        progress(half + " rows written; waiting for the lake to hold them");
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
        progress(rows + " rows written; the lake holds " + lakeBefore);
        double[] millis = new double[queries];
        for (int q = 0; q < queries; q++) {
            long start = System.nanoTime();
            long count = table.countAll();
            millis[q] = (System.nanoTime() - start) / 1e6;
            progress("query " + (q + 1) + " counted " + count + " rows in " + Math.round(millis[q]) + " ms");
            if (count != rows) {
                throw new IllegalStateException("the union read counted " + count + " rows of " + rows);
            }
        }
        long lakeAfter = table.lakeRows();
        Arrays.sort(millis);
        return new DriverResult().put("rows", rows).put("query_ms", millis[queries / 2])
                .put("min_query_ms", millis[0]).put("lake_rows_before", lakeBefore).put("lake_rows_after", lakeAfter);
    }

    /** A line in the driver's log, so that a run that stalls shows where. */
    private static void progress(String line) {
        System.out.println(Instant.now() + " union-read: " + line);
        System.out.flush();
    }
}
