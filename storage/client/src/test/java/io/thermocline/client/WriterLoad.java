package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.common.row.GenericRow;
import io.thermocline.server.testutils.TestCluster;

import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An idempotent acks=all writer appending increasing ids ({@code id BIGINT, payload STRING}) as
 * fast as it may while a test does harm to the cluster, and the check that follows: every
 * acknowledged row read back exactly once, in order per bucket.
 */
final class WriterLoad implements AutoCloseable {
    private final Table table;
    private final int buckets;
    private final AppendWriter writer;
    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong ackedCount = new AtomicLong();
    private final BitSet ackedIds = new BitSet();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final Semaphore inFlight = new Semaphore(50_000);

    WriterLoad(Table table, int buckets) {
        this.table = table;
        this.buckets = buckets;
        this.writer = table.newAppendWriter();
        this.thread = new Thread(this::run, "writer-load");
        thread.start();
    }

    private void run() {
        long id = 0;
        while (!stop.get()) {
            try {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            long rowId = id++;
            writer.append(GenericRow.of(rowId, "payload-" + rowId)).whenComplete((r, e) -> {
                if (e == null) {
                    synchronized (ackedIds) {
                        ackedIds.set((int) rowId);
                    }
                    ackedCount.incrementAndGet();
                } else {
                    firstFailure.compareAndSet(null, e);
                }
                inFlight.release();
            });
            written.set(id);
        }
    }

    long acked() {
        return ackedCount.get();
    }

    /** Waits until {@code count} more rows than now are acknowledged: writes go on. */
    void awaitMoreAcked(long count) {
        long target = ackedCount.get() + count;
        TestCluster.waitUntil(() -> ackedCount.get() >= target || firstFailure.get() != null, Duration.ofMinutes(1),
                target + " rows acknowledged");
        assertThat(firstFailure.get()).as("writes are retried until acknowledged").isNull();
    }

    /**
     * Stops appending, waits until every append has its answer, then reads the table: every
     * acknowledged row once, in order in its bucket, and every written row acknowledged.
     */
    void finishAndVerify() throws InterruptedException {
        stop.set(true);
        thread.join(TimeUnit.MINUTES.toMillis(1));
        writer.flush();
        TestCluster.waitUntil(() -> ackedCount.get() == written.get() || firstFailure.get() != null,
                Duration.ofMinutes(1), "every append answered");
        assertThat(firstFailure.get()).as("writes are retried until acknowledged").isNull();

        BitSet seen = new BitSet();
        long duplicated = 0;
        long outOfOrder = 0;
        long[] last = new long[buckets];
        Arrays.fill(last, -1);
        long total = written.get();
        try (LogScanner scanner = table.newLogScanner()) {
            for (int b = 0; b < buckets; b++) {
                scanner.subscribe(b, LogScanner.EARLIEST);
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            long read = 0;
            while (read < total && System.nanoTime() < deadline) {
                for (ScanRecord record : scanner.poll(Duration.ofSeconds(1))) {
                    read++;
                    long id = record.row().getLong(0);
                    duplicated += seen.get((int) id) ? 1 : 0;
                    seen.set((int) id);
                    outOfOrder += id <= last[record.bucket()] ? 1 : 0;
                    last[record.bucket()] = id;
                }
            }
        }
        BitSet lost;
        synchronized (ackedIds) {
            lost = (BitSet) ackedIds.clone();
        }
        lost.andNot(seen);
        assertThat(lost.cardinality()).as("acknowledged rows lost").isZero();
        assertThat(duplicated).as("rows read twice").isZero();
        assertThat(outOfOrder).as("rows out of order in their bucket").isZero();
        assertThat(seen.cardinality()).as("every written row, acknowledged").isEqualTo(total);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(TimeUnit.MINUTES.toMillis(1));
        writer.close();
    }
}
