package io.thermocline.benchmarks.peers;

import java.util.concurrent.TimeUnit;

/**
 * The writing half of the lake scenario, the same for every system: {@code rows} rows into a
 * lake-enabled table, at {@code rate} rows/s (0: as fast as the client goes), each with its write
 * time (epoch milliseconds) in column 0. The harness then reads the Iceberg table itself and
 * compares each row's write time with the commit time of the snapshot that made it visible.
 */
public final class LakeRun {
    private LakeRun() {}

    public static DriverResult run(long rows, int rate, RowWriter writer) throws Exception {
        long start = System.nanoTime();
        long interval = rate > 0 ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
        for (long i = 0; i < rows; i++) {
            if (interval > 0) {
                long due = start + i * interval;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
            }
            writer.write(i, System.currentTimeMillis());
        }
        writer.flush();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new DriverResult().put("rows", rows).put("write_seconds", seconds).put("write_rows_per_s",
                rows / seconds);
    }
}
