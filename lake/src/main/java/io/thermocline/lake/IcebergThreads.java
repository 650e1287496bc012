package io.thermocline.lake;

import org.apache.iceberg.util.ThreadPools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Starts the threads of Iceberg's shared worker pools with Iceberg's own class loader as their
 * context class loader. A pool's threads live as long as the process and keep the context class
 * loader of the thread that made them start: left to start inside a Flink job, they keep that job's
 * class loader, which Flink closes when the job ends, and every later job whose Iceberg work runs
 * on them (S3FileIO set-up in a manifest write, for example) fails.
 */
final class IcebergThreads {
    private static boolean started;

    private IcebergThreads() {}

    static synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(ThreadPools.class.getClassLoader());
        try {
            fill(ThreadPools.getWorkerPool(), ThreadPools.WORKER_THREAD_POOL_SIZE);
            fill(ThreadPools.getDeleteWorkerPool(), ThreadPools.DELETE_WORKER_THREAD_POOL_SIZE);
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    /** Submits tasks that wait for each other, so that the pool starts all its threads now. */
    private static void fill(ExecutorService pool, int threads) {
        CountDownLatch all = new CountDownLatch(threads);
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tasks.add(pool.submit(() -> {
                all.countDown();
                try {
                    all.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Future<?> task : tasks) {
            try {
                task.get();
            } catch (Exception e) {
                return; // a pool that cannot start its threads now starts them later, as Iceberg does
            }
        }
    }
}
