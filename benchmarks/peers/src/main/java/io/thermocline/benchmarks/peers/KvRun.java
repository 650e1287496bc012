package io.thermocline.benchmarks.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The primary-key scenario, the same for every system: upserts of {@code rows} keys as fast as
 * the client goes, then point lookups of random keys one at a time (latency) and 100 at a time in
 * flight (throughput). Every lookup must find its row.
 */
public final class KvRun {
    /** A system's primary-key table: upsert the row of a key, flush, look a key up (true when found). */
    public interface Table {
        CompletableFuture<?> upsert(long key);

        void flush() throws Exception;

        CompletableFuture<Boolean> lookup(long key);
    }

    private static final int IN_FLIGHT = 100;

    private KvRun() {}

    public static DriverResult run(long rows, int lookups, Table table) throws Exception {
        DriverResult result = new DriverResult();
        long start = System.nanoTime();
        CompletableFuture<?> last = null;
        for (long key = 0; key < rows; key++) {
            last = table.upsert(key);
        }
        table.flush();
        if (last != null) {
            last.get(60, TimeUnit.SECONDS);
        }
        result.put("upsert_rows_per_s", rows / ((System.nanoTime() - start) / 1e9));

        Random random = new Random(7);
        long[] latencies = new long[lookups];
        start = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            long key = (long) (random.nextDouble() * rows);
            long sent = System.nanoTime();
            if (!table.lookup(key).get(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("key " + key + " was upserted and is not found");
            }
            latencies[i] = System.nanoTime() - sent;
        }
        result.put("lookups_per_s", lookups / ((System.nanoTime() - start) / 1e9)).latencies(latencies);

        start = System.nanoTime();
        List<CompletableFuture<Boolean>> window = new ArrayList<>(IN_FLIGHT);
        int batched = lookups * 10;
        for (int i = 0; i < batched; i++) {
            window.add(table.lookup((long) (random.nextDouble() * rows)));
            if (window.size() == IN_FLIGHT || i == batched - 1) {
                for (CompletableFuture<Boolean> found : window) {
                    if (!found.get(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("an upserted key is not found");
                    }
                }
                window.clear();
            }
        }
        return result.put("batched_lookups_per_s", batched / ((System.nanoTime() - start) / 1e9));
    }
}
