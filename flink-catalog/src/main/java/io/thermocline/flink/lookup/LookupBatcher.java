package io.thermocline.flink.lookup;

import io.thermocline.client.api.Lookuper;
import io.thermocline.common.row.GenericRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Groups concurrent single-key lookups (Flink's async lookups arrive one key at a time) into
 * batches, which the lookuper sends as one request per bucket leader. No timer: while a batch is
 * in flight, new keys queue and leave together when it returns, so a lone key waits for nothing
 * and a busy join sends few large requests.
 */
final class LookupBatcher {
    /** Batches in flight at once; more keys queue behind them. */
    private static final int MAX_IN_FLIGHT = 4;

    private final Lookuper lookuper;
    private final int maxBatch;
    private final List<InternalKey> queue = new ArrayList<>();
    private int inFlight;

    private record InternalKey(GenericRow key, CompletableFuture<Optional<GenericRow>> result) {}

    LookupBatcher(Lookuper lookuper, int maxBatch) {
        this.lookuper = lookuper;
        this.maxBatch = maxBatch;
    }

    CompletableFuture<Optional<GenericRow>> lookup(GenericRow key) {
        CompletableFuture<Optional<GenericRow>> result = new CompletableFuture<>();
        List<InternalKey> batch;
        synchronized (this) {
            queue.add(new InternalKey(key, result));
            batch = inFlight < MAX_IN_FLIGHT ? take() : null;
        }
        send(batch);
        return result;
    }

    /** The next batch from the queue, counted in flight; null when the queue is empty. Holds the lock. */
    private List<InternalKey> take() {
        if (queue.isEmpty()) {
            return null;
        }
        List<InternalKey> batch = new ArrayList<>(queue.subList(0, Math.min(maxBatch, queue.size())));
        queue.subList(0, batch.size()).clear();
        inFlight++;
        return batch;
    }

    private void send(List<InternalKey> batch) {
        if (batch == null) {
            return;
        }
        List<GenericRow> keys = new ArrayList<>(batch.size());
        batch.forEach(k -> keys.add(k.key()));
        lookuper.lookupAll(keys).whenComplete((rows, error) -> {
            for (int i = 0; i < batch.size(); i++) {
                if (error != null) {
                    batch.get(i).result().completeExceptionally(error);
                } else {
                    batch.get(i).result().complete(rows.get(i));
                }
            }
            List<InternalKey> next;
            synchronized (this) {
                inFlight--;
                next = take();
            }
            send(next);
        });
    }
}
