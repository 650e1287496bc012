package io.thermocline.benchmarks.peers;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The latency scenario, the same for every system: a reader thread subscribed before the first
 * row, rows written at a fixed rate with their send time (System.nanoTime) in column 0, and the
 * time from send to read of every row after the first second (warm-up).
 */
public final class LatencyRun {
    /** A subscribed reader of the table; each poll returns the send times of the rows it read. */
    public interface Reader extends AutoCloseable {
        long[] poll() throws Exception;
    }

    private LatencyRun() {}

    public static DriverResult run(int rate, int seconds, Supplier<Reader> readers, RowWriter writer) throws Exception {
        long total = (long) rate * seconds;
        long warmup = rate;
        long[] latencies = new long[(int) Math.max(0, total - warmup)];
        AtomicLong seen = new AtomicLong();
        Thread thread = new Thread(() -> {
            try (Reader reader = readers.get()) {
                while (seen.get() < total) {
                    for (long sent : reader.poll()) {
                        long n = seen.getAndIncrement();
                        if (n >= warmup && n < total) {
                            latencies[(int) (n - warmup)] = System.nanoTime() - sent;
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "latency-reader");
        thread.start();
        Thread.sleep(1000); // the reader subscribes before the first row
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            writer.write(i, System.nanoTime());
        }
        writer.flush();
        thread.join(TimeUnit.SECONDS.toMillis(60));
        return new DriverResult().put("rate", rate).latencies(latencies);
    }
}
