package io.thermocline.client.internal;

import io.thermocline.client.api.ClientOptions;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.NotLeaderException;
import io.thermocline.rpc.client.ServerConnection;
import io.thermocline.rpc.messages.ProduceBucket;
import io.thermocline.rpc.messages.ProduceBucketResult;
import io.thermocline.rpc.messages.ProduceRequest;
import io.thermocline.rpc.messages.ProduceResponse;
import io.thermocline.rpc.messages.PutKvRequest;
import io.thermocline.rpc.messages.PutKvResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.protocol.RpcOptions;

import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Sends a writer's sealed batches to their buckets' leaders, one request per leader: PRODUCE for
 * log tables, PUT_KV for primary-key tables. What the leaders answer goes back to the writer, batch
 * by batch; what to retry is the writer's call.
 */
final class BatchSender {
    /** What a leader answered for a batch it took. */
    interface Acknowledged {
        /** {@code baseOffset} is -1 when the writer asks for no acknowledgement. */
        void accept(Batch batch, long baseOffset, long commitTimestamp);
    }

    private final TableImpl table;
    /** The table as the writer was made for it: a table dropped and created again is another table. */
    private final long tableId;
    private final boolean upsert;
    private final int[] targetColumns;
    private final ClientOptions.Acks acks;
    /** How long the leader may wait for the in-sync replicas: less than the request timeout, so it answers first. */
    private final int ackTimeoutMs;
    private final Acknowledged acknowledged;
    private final BiConsumer<Batch, Throwable> failed;

    BatchSender(TableImpl table, long tableId, boolean upsert, int[] targetColumns, Acknowledged acknowledged,
            BiConsumer<Batch, Throwable> failed) {
        this.table = table;
        this.tableId = tableId;
        this.upsert = upsert;
        this.targetColumns = targetColumns;
        Configuration conf = table.conf();
        this.acks = conf.get(ClientOptions.WRITER_ACKS);
        long requestTimeoutMs = conf.get(RpcOptions.REQUEST_TIMEOUT).toMillis();
        this.ackTimeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                requestTimeoutMs - Math.min(1000, requestTimeoutMs / 2)));
        this.acknowledged = acknowledged;
        this.failed = failed;
    }

    void sendAll(List<Batch> batches) {
        Map<String, List<Batch>> byLeader = new LinkedHashMap<>();
        for (Batch batch : batches) {
            String leader = table.leaderAddress(batch.bucket());
            if (leader == null) {
                failed.accept(batch, new NotLeaderException(batch.bucket() + " of " + table.info().path()
                        + " has no live leader"));
            } else {
                byLeader.computeIfAbsent(leader, l -> new ArrayList<>()).add(batch);
            }
        }
        byLeader.forEach(this::send);
    }

    private void send(String leader, List<Batch> batches) {
        Function<ServerConnection, CompletableFuture<List<ProduceBucketResult>>> request = request(batches);
        CompletableFuture<ServerConnection> connection = table.pool().get(leader, ConnectionPool.Purpose.CONTROL);
        if (acks == ClientOptions.Acks.NONE) {
            connection.thenAccept(request::apply).whenComplete((sent, error) -> {
                for (Batch batch : batches) {
                    if (error != null) {
                        failed.accept(batch, CoordinatorChannel.unwrap(error));
                    } else {
                        acknowledged.accept(batch, -1, -1);
                    }
                }
            });
            return;
        }
        connection.thenCompose(request).whenComplete((results, error) -> {
            for (int i = 0; i < batches.size(); i++) {
                Batch batch = batches.get(i);
                if (error != null) {
                    failed.accept(batch, CoordinatorChannel.unwrap(error));
                    continue;
                }
                // The server answers every bucket, in request order.
                ProduceBucketResult result = results.get(i);
                if (result.getErrorCode() != Errors.NONE.code()) {
                    failed.accept(batch, Errors.forCode((short) result.getErrorCode()).exception(result.getErrorMessage()));
                } else {
                    acknowledged.accept(batch, result.getBaseOffset(), result.getCommitTimestamp());
                }
            }
        });
    }

    private Function<ServerConnection, CompletableFuture<List<ProduceBucketResult>>> request(List<Batch> batches) {
        int ackCode = acks == ClientOptions.Acks.ALL ? -1 : acks == ClientOptions.Acks.LEADER ? 1 : 0;
        List<ProduceBucket> buckets = new ArrayList<>(batches.size());
        for (Batch batch : batches) {
            ProduceBucket.Builder bucket = ProduceBucket.newBuilder().setBucket(batch.bucket().bucket())
                    .setRecords(ByteString.copyFrom(batch.records().buffer()));
            if (batch.bucket().isPartitioned()) {
                bucket.setPartitionId(batch.bucket().partitionId());
            }
            buckets.add(bucket.build());
        }
        if (upsert) {
            PutKvRequest.Builder put = PutKvRequest.newBuilder().setTableId(tableId).addAllBuckets(buckets)
                    .setAcks(ackCode).setTimeoutMs(ackTimeoutMs);
            if (targetColumns != null) {
                Arrays.stream(targetColumns).forEach(put::addTargetColumns);
            }
            PutKvRequest request = put.build();
            return c -> c.send(ApiKeys.PUT_KV, request, PutKvResponse.parser()).thenApply(PutKvResponse::getBucketsList);
        }
        ProduceRequest request = ProduceRequest.newBuilder().setTableId(tableId).addAllBuckets(buckets)
                .setAcks(ackCode).setTimeoutMs(ackTimeoutMs).build();
        return c -> c.send(ApiKeys.PRODUCE, request, ProduceResponse.parser()).thenApply(ProduceResponse::getBucketsList);
    }
}
