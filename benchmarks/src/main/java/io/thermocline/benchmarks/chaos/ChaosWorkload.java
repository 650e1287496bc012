package io.thermocline.benchmarks.chaos;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.row.GenericRow;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What runs against the chaos cluster: an idempotent acks=all writer of increasing ids into the
 * log table, one of upserts into the primary-key table (operation n sets key n mod KEYS to n, so
 * the model of the table is the last operation per key), and a streaming reader of the log table
 * that checks, while the faults happen, that it sees each id once and in order per bucket.
 */
final class ChaosWorkload implements AutoCloseable {
    static final int BUCKETS = 3;
    static final int KEYS = 1_000;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final int rowsPerSecond;
    private final Table events;
    private final Table accounts;
    private final Thread appender;
    private final Thread upserter;
    private final Thread reader;

    final AtomicLong appended = new AtomicLong();
    final AtomicLong appendsAcked = new AtomicLong();
    final BitSet ackedIds = new BitSet();
    final AtomicLong upserted = new AtomicLong();
    final AtomicLong upsertsAcked = new AtomicLong();
    final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    /** What the streaming reader saw: guarded by itself. */
    final BitSet readIds = new BitSet();
    final AtomicLong readDuplicates = new AtomicLong();
    final AtomicLong readOutOfOrder = new AtomicLong();
    final AtomicLong read = new AtomicLong();
    /** When the reader gives up catching up once writes stopped; 0 while they run. */
    private volatile long readerDeadline;

    ChaosWorkload(Table events, Table accounts, int rowsPerSecond) {
        this.events = events;
        this.accounts = accounts;
        this.rowsPerSecond = rowsPerSecond;
        this.appender = new Thread(this::append, "chaos-appender");
        this.upserter = new Thread(this::upsert, "chaos-upserter");
        this.reader = new Thread(this::readStream, "chaos-reader");
    }

    ChaosWorkload start() {
        appender.start();
        upserter.start();
        reader.start();
        return this;
    }

    private void append() {
        Semaphore inFlight = new Semaphore(20_000);
        try (AppendWriter writer = events.newAppendWriter()) {
            paced(rowsPerSecond, id -> {
                inFlight.acquireUninterruptibly();
                writer.append(GenericRow.of(id, "event-" + id)).whenComplete((r, e) -> {
                    if (e == null) {
                        synchronized (ackedIds) {
                            ackedIds.set((int) id);
                        }
                        appendsAcked.incrementAndGet();
                    } else {
                        firstFailure.compareAndSet(null, e);
                    }
                    inFlight.release();
                });
                appended.set(id + 1);
            });
            writer.flush();
        } catch (Exception e) {
            firstFailure.compareAndSet(null, e);
        }
    }

    private void upsert() {
        Semaphore inFlight = new Semaphore(20_000);
        try (UpsertWriter writer = accounts.newUpsertWriter()) {
            paced(Math.max(1, rowsPerSecond / 2), n -> {
                inFlight.acquireUninterruptibly();
                writer.upsert(GenericRow.of((int) (n % KEYS), n)).whenComplete((r, e) -> {
                    if (e == null) {
                        upsertsAcked.incrementAndGet();
                    } else {
                        firstFailure.compareAndSet(null, e);
                    }
                    inFlight.release();
                });
                upserted.set(n + 1);
            });
            writer.flush();
        } catch (Exception e) {
            firstFailure.compareAndSet(null, e);
        }
    }

    /** Calls {@code action} with 0, 1, 2, ... at about {@code perSecond}, until stopped. */
    private void paced(int perSecond, java.util.function.LongConsumer action) throws InterruptedException {
        long start = System.nanoTime();
        for (long n = 0; !stop.get(); n++) {
            long due = start + n * 1_000_000_000L / perSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            action.accept(n);
        }
    }

    private void readStream() {
        long[] last = new long[BUCKETS];
        java.util.Arrays.fill(last, -1);
        try (LogScanner scanner = events.newLogScanner()) {
            for (int b = 0; b < BUCKETS; b++) {
                scanner.subscribe(b, LogScanner.EARLIEST);
            }
            // Until the appender has ended, its count may still grow: a row appended as the writes stop.
            while (appender.isAlive() || read.get() < appended.get()) {
                for (ScanRecord record : scanner.poll(Duration.ofMillis(500))) {
                    long id = record.row().getLong(0);
                    synchronized (readIds) {
                        if (readIds.get((int) id)) {
                            readDuplicates.incrementAndGet();
                        }
                        readIds.set((int) id);
                    }
                    if (id <= last[record.bucket()]) {
                        readOutOfOrder.incrementAndGet();
                    }
                    last[record.bucket()] = id;
                    read.incrementAndGet();
                }
                if (stop.get() && readerDeadline > 0 && System.nanoTime() > readerDeadline) {
                    return;
                }
            }
        } catch (Exception e) {
            firstFailure.compareAndSet(null, e);
        }
    }

    /**
     * Stops writing and waits until every write has its answer and the reader has caught up (or
     * {@code timeout} has passed).
     */
    void finish(Duration timeout) throws InterruptedException {
        stop.set(true);
        appender.join(timeout.toMillis());
        upserter.join(timeout.toMillis());
        readerDeadline = System.nanoTime() + timeout.toNanos();
        reader.join(timeout.toMillis() + 1_000);
    }

    boolean allAcknowledged() {
        return appendsAcked.get() == appended.get() && upsertsAcked.get() == upserted.get();
    }

    /** The model of the primary-key table: each key's balance is its last operation. */
    java.util.Map<Integer, Long> accountsModel() {
        java.util.Map<Integer, Long> model = new java.util.TreeMap<>();
        long operations = upserted.get();
        for (long n = Math.max(0, operations - KEYS); n < operations; n++) {
            model.put((int) (n % KEYS), n);
        }
        return model;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        readerDeadline = System.nanoTime();
        appender.join(60_000);
        upserter.join(60_000);
        reader.join(60_000);
    }
}
