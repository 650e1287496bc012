package io.thermocline.client.internal;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.rpc.client.ServerConnection;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/** A table's metadata (refreshed when a leader moved) and the factory of its writers and scanners. */
final class TableImpl implements Table {
    private final TablePath path;
    private final Admin admin;
    private final ConnectionPool pool;
    private final Configuration conf;
    private final ScheduledExecutorService scheduler;
    private volatile TableInfo info;
    private volatile CompletableFuture<TableInfo> refreshing;

    TableImpl(TablePath path, Admin admin, ConnectionPool pool, Configuration conf, ScheduledExecutorService scheduler) {
        this.path = path;
        this.admin = admin;
        this.pool = pool;
        this.conf = conf;
        this.scheduler = scheduler;
        try {
            this.info = admin.getTable(path).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    @Override
    public TableInfo info() {
        return info;
    }

    /** Fetches fresh metadata once however many callers ask at the same time. */
    CompletableFuture<TableInfo> refresh() {
        CompletableFuture<TableInfo> current = refreshing;
        if (current != null && !current.isDone()) {
            return current;
        }
        CompletableFuture<TableInfo> next = admin.getTable(path).thenApply(fresh -> {
            info = fresh;
            return fresh;
        });
        refreshing = next;
        return next;
    }

    /** A connection to the current leader of a bucket; fails when it has none. */
    CompletableFuture<ServerConnection> leader(int bucket) {
        return leader(bucket, ConnectionPool.Purpose.CONTROL);
    }

    CompletableFuture<ServerConnection> leader(int bucket, ConnectionPool.Purpose purpose) {
        String address = info.buckets().get(bucket).leaderAddress();
        if (address == null) {
            return CompletableFuture.failedFuture(new io.thermocline.common.exception.NotLeaderException(
                    "Bucket " + bucket + " of " + path + " has no live leader"));
        }
        return pool.get(address, purpose);
    }

    Configuration conf() {
        return conf;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public AppendWriter newAppendWriter() {
        return new AppendWriterImpl(this);
    }

    @Override
    public LogScanner newLogScanner() {
        return new LogScannerImpl(this, null);
    }

    @Override
    public LogScanner newLogScanner(int[] projectedColumns) {
        return new LogScannerImpl(this, projectedColumns.clone());
    }
}
