package io.thermocline.server.kv;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.kv.store.SnapshotStore;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A tablet server's KV snapshot store ({@code kv.snapshot.dir}) and the threads that move its files. */
public final class KvSnapshotStorage implements AutoCloseable {
    private final SnapshotStore store;
    private final int retained;
    private final ExecutorService transfers;

    private KvSnapshotStorage(SnapshotStore store, int retained, int threads, String owner) {
        this.store = store;
        this.retained = retained;
        AtomicInteger count = new AtomicInteger();
        this.transfers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kv-snapshot-io-" + owner + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The storage {@code conf} names, or null when it keeps no KV snapshots. */
    public static KvSnapshotStorage open(Configuration conf, String owner) {
        String location = conf.get(ServerOptions.KV_SNAPSHOT_DIR);
        if (location == null) {
            return null;
        }
        return new KvSnapshotStorage(SnapshotStore.open(location, conf), conf.get(ServerOptions.KV_SNAPSHOT_RETAINED),
                conf.get(ServerOptions.KV_SNAPSHOT_TRANSFER_THREADS), owner);
    }

    public KvSnapshots forBucket(TableBucket bucket) {
        return new KvSnapshots(store, bucket, retained, transfers);
    }

    @Override
    public void close() {
        transfers.shutdownNow();
        store.close();
    }
}
