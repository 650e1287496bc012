package io.thermocline.client.internal;

import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.messages.LookupBucket;
import io.thermocline.rpc.messages.LookupBucketResult;
import io.thermocline.rpc.messages.LookupRequest;
import io.thermocline.rpc.messages.LookupResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;

import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Single-key lookups to one bucket leader, batched without a timer: a key goes out at once when
 * no request to the leader is in flight, and keys that arrive meanwhile wait for it and then go
 * together in the next request. One key alone pays no batching delay; many keys in flight share
 * requests. What the leader answers with an error (a moved leader, say) goes back to the caller's
 * retrying path key by key.
 */
final class LeaderLookups {
    private static final int MAX_KEYS_PER_REQUEST = 1024;

    /** A key waiting for its value (null: no row); {@code retry} takes it when the leader could not answer. */
    record Key(TableBucket bucket, byte[] encoded, CompletableFuture<byte[]> value, Consumer<Key> retry) {}

    private final TableImpl table;
    private final List<Key> waiting = new ArrayList<>();
    private boolean inFlight;

    LeaderLookups(TableImpl table) {
        this.table = table;
    }

    void add(Key key) {
        List<Key> batch;
        synchronized (this) {
            waiting.add(key);
            if (inFlight) {
                return;
            }
            inFlight = true;
            batch = drain();
        }
        send(batch);
    }

    private List<Key> drain() {
        List<Key> batch = new ArrayList<>(waiting.subList(0, Math.min(waiting.size(), MAX_KEYS_PER_REQUEST)));
        waiting.subList(0, batch.size()).clear();
        return batch;
    }

    private void send(List<Key> batch) {
        Map<TableBucket, List<Key>> byBucket = new LinkedHashMap<>();
        batch.forEach(key -> byBucket.computeIfAbsent(key.bucket(), b -> new ArrayList<>()).add(key));
        Map<TableBucket, List<byte[]>> encoded = new LinkedHashMap<>();
        byBucket.forEach((bucket, keys) -> encoded.put(bucket, keys.stream().map(Key::encoded).toList()));
        List<List<Key>> order = new ArrayList<>(byBucket.values());
        CompletableFuture<LookupResponse> sent;
        try {
            LookupRequest request = request(table.info().tableId(), encoded);
            sent = table.leader(byBucket.keySet().iterator().next(), ConnectionPool.Purpose.CONTROL)
                    .thenCompose(c -> c.send(ApiKeys.LOOKUP, request, LookupResponse.parser()));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e); // the keys still go to the retrying path, the next ones out
        }
        sent.whenComplete((response, error) -> {
            if (error != null) {
                batch.forEach(key -> key.retry().accept(key));
            } else {
                complete(response, order);
            }
            sendNext();
        });
    }

    /** One request for encoded keys by bucket; the response's buckets come in the map's order. */
    static LookupRequest request(long tableId, Map<TableBucket, List<byte[]>> keys) {
        LookupRequest.Builder request = LookupRequest.newBuilder().setTableId(tableId);
        keys.forEach((bucket, encoded) -> {
            LookupBucket.Builder lookup = LookupBucket.newBuilder().setBucket(bucket.bucket());
            if (bucket.isPartitioned()) {
                lookup.setPartitionId(bucket.partitionId());
            }
            encoded.forEach(key -> lookup.addKeys(ByteString.copyFrom(key)));
            request.addBuckets(lookup);
        });
        return request.build();
    }

    private static void complete(LookupResponse response, List<List<Key>> order) {
        for (int b = 0; b < order.size(); b++) {
            List<Key> keys = order.get(b);
            LookupBucketResult result = b < response.getBucketsCount() ? response.getBuckets(b) : null;
            for (int k = 0; k < keys.size(); k++) {
                Key key = keys.get(k);
                if (result == null || result.getErrorCode() != Errors.NONE.code()) {
                    key.retry().accept(key);
                } else {
                    ByteString value = result.getValues(k);
                    key.value().complete(value.isEmpty() ? null : value.toByteArray());
                }
            }
        }
    }

    private void sendNext() {
        List<Key> next;
        synchronized (this) {
            if (waiting.isEmpty()) {
                inFlight = false;
                return;
            }
            next = drain();
        }
        send(next);
    }
}
