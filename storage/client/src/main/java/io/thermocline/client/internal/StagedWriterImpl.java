package io.thermocline.client.internal;

import io.thermocline.client.api.ClientOptions;
import io.thermocline.client.api.StagedBatches;
import io.thermocline.client.api.StagedWriter;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.bucketing.BucketFunction;
import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.DuplicateSequenceException;
import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.RequestTimeoutException;
import io.thermocline.common.exception.RetriableException;
import io.thermocline.common.internal.record.ChangeType;
import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatchBuilder;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.PartitionValues;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.schema.Schema;
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
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link StagedWriter}: rows go into one batch builder per bucket; {@link #stage()} seals them
 * with this writer's id (taken from the coordinator once) and the bucket's next sequence, and
 * {@link #commit} sends the sealed bytes, a bucket's batches one after another, the buckets of a
 * leader together. A batch the servers already hold (a second commit) is answered as a retry or,
 * when older than what they keep, as a duplicate sequence: both count as appended.
 */
final class StagedWriterImpl implements StagedWriter {
    private final TableImpl table;
    private final TableInfo info;
    private final boolean upsert;
    private final int[] targetColumns;
    private final Schema schema;
    private final BucketFunction bucketFunction;
    private final PartitionValues.Extractor partitionValues;
    private final int batchSize;
    private final long deliveryTimeoutNanos;
    private final int ackTimeoutMs;
    private final long writerId;
    private final BufferAllocator allocator = new RootAllocator();
    private final Map<TableBucket, LogRecordBatchBuilder> builders = new LinkedHashMap<>();
    private final Map<TableBucket, Integer> nextSequence = new LinkedHashMap<>();
    private final List<StagedBatches.Batch> sealed = new ArrayList<>();
    /** Log tables without bucket keys fill one bucket per batch, then move on. */
    private int stickyBucket;

    StagedWriterImpl(TableImpl table, String[] targetColumns) {
        this.table = table;
        this.info = table.info();
        this.schema = info.schema();
        this.upsert = schema.hasPrimaryKey();
        if (targetColumns != null && !upsert) {
            throw new InvalidRequestException("Table " + info.path() + " is a log table: partial updates need a"
                    + " primary key");
        }
        this.targetColumns = targetColumns == null ? null : UpsertWriterImpl.targets(info, targetColumns);
        this.bucketFunction = info.bucketKeys().isEmpty() ? null : new BucketFunction(schema.rowType(),
                info.bucketKeys().stream().mapToInt(schema::columnIndex).toArray(), info.bucketCount());
        this.partitionValues = info.isPartitioned()
                ? PartitionValues.extractor(info.path(), schema, info.partitionKeys()) : null;
        this.batchSize = (int) table.conf().get(ClientOptions.WRITER_BATCH_SIZE).bytes();
        this.deliveryTimeoutNanos = table.conf().get(ClientOptions.WRITER_DELIVERY_TIMEOUT).toNanos();
        long requestTimeoutMs = table.conf().get(RpcOptions.REQUEST_TIMEOUT).toMillis();
        this.ackTimeoutMs = (int) Math.max(1, requestTimeoutMs - Math.min(1000, requestTimeoutMs / 2));
        this.writerId = TableImpl.join(table.admin().initWriter());
    }

    @Override
    public void write(InternalRow row) {
        add(ChangeType.INSERT, row);
    }

    @Override
    public void delete(InternalRow row) {
        if (!upsert) {
            throw new InvalidRequestException("Table " + info.path() + " is a log table: it takes no deletes");
        }
        add(ChangeType.DELETE, row);
    }

    private void add(ChangeType change, InternalRow row) {
        if (upsert) {
            for (int key : schema.primaryKeyIndexes()) {
                if (row.isNullAt(key)) {
                    throw new InvalidRecordException("Table " + info.path() + ": key column `"
                            + schema.columnNames().get(key) + "` is null");
                }
            }
        }
        long partitionId = partitionValues == null ? TableBucket.NO_PARTITION
                : table.partitionId(partitionValues.values(row));
        int bucket = bucketFunction != null ? bucketFunction.bucket(row) : stickyBucket;
        TableBucket tableBucket = new TableBucket(info.tableId(), partitionId, bucket);
        LogRecordBatchBuilder builder = builders.computeIfAbsent(tableBucket, b -> new LogRecordBatchBuilder(
                schema.rowType(), schema.schemaId(), LogCompression.LZ4_FRAME, upsert, batchSize, allocator));
        if (!builder.tryAppend(change, row)) {
            seal(tableBucket, builder);
            builder.tryAppend(change, row); // an empty builder takes any row
        }
        if (builder.isFull()) {
            seal(tableBucket, builder);
        }
    }

    private void seal(TableBucket bucket, LogRecordBatchBuilder builder) {
        int sequence = nextSequence.merge(bucket, 1, Integer::sum) - 1;
        builder.setWriterState(writerId, sequence);
        MemoryLogRecords records = builder.build();
        ByteBuffer buffer = records.buffer().duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        sealed.add(new StagedBatches.Batch(bucket.partitionId(), bucket.bucket(), bytes));
        if (bucketFunction == null) {
            stickyBucket = (stickyBucket + 1) % info.bucketCount();
        }
    }

    @Override
    public StagedBatches stage() {
        builders.forEach((bucket, builder) -> {
            if (!builder.isEmpty()) {
                seal(bucket, builder);
            }
        });
        StagedBatches staged = new StagedBatches(info.tableId(), upsert, targetColumns, sealed);
        sealed.clear();
        return staged;
    }

    @Override
    public CompletableFuture<Void> commit(StagedBatches staged) {
        try {
            send(staged);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Rounds of one request per leader carrying the next batch of each of its buckets, until all are in. */
    private void send(StagedBatches staged) {
        Map<TableBucket, Deque<StagedBatches.Batch>> queues = new LinkedHashMap<>();
        for (StagedBatches.Batch batch : staged.batches()) {
            queues.computeIfAbsent(new TableBucket(staged.tableId(), batch.partitionId(), batch.bucket()),
                    b -> new ArrayDeque<>()).add(batch);
        }
        long deadline = System.nanoTime() + deliveryTimeoutNanos;
        while (!queues.isEmpty()) {
            Map<String, List<TableBucket>> byLeader = new LinkedHashMap<>();
            boolean missingLeader = false;
            for (TableBucket bucket : queues.keySet()) {
                String leader = table.leaderAddress(bucket);
                if (leader == null) {
                    missingLeader = true;
                } else {
                    byLeader.computeIfAbsent(leader, l -> new ArrayList<>()).add(bucket);
                }
            }
            List<CompletableFuture<Boolean>> rounds = new ArrayList<>();
            byLeader.forEach((leader, buckets) -> rounds.add(sendRound(staged, leader, buckets, queues)));
            boolean retry = missingLeader;
            for (CompletableFuture<Boolean> round : rounds) {
                retry |= TableImpl.join(round);
            }
            if (retry && !queues.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new RequestTimeoutException("Committing staged batches to " + info.path() + " took longer than "
                            + TimeUnit.NANOSECONDS.toMillis(deliveryTimeoutNanos) + " ms (client.writer.delivery-timeout)");
                }
                TableImpl.join(table.refresh());
                sleep(100);
            }
        }
    }

    /** Sends the head batch of each bucket; removes those appended. Completes with whether to retry some. */
    private CompletableFuture<Boolean> sendRound(StagedBatches staged, String leader, List<TableBucket> buckets,
            Map<TableBucket, Deque<StagedBatches.Batch>> queues) {
        List<ProduceBucket> requests = new ArrayList<>();
        for (TableBucket bucket : buckets) {
            ProduceBucket.Builder request = ProduceBucket.newBuilder().setBucket(bucket.bucket())
                    .setRecords(ByteString.copyFrom(queues.get(bucket).peek().records()));
            if (bucket.isPartitioned()) {
                request.setPartitionId(bucket.partitionId());
            }
            requests.add(request.build());
        }
        return table.pool().get(leader, ConnectionPool.Purpose.CONTROL).thenCompose(connection -> {
            if (staged.upsert()) {
                PutKvRequest.Builder put = PutKvRequest.newBuilder().setTableId(staged.tableId()).addAllBuckets(requests)
                        .setAcks(-1).setTimeoutMs(ackTimeoutMs);
                if (staged.targetColumns() != null) {
                    Arrays.stream(staged.targetColumns()).forEach(put::addTargetColumns);
                }
                return connection.send(ApiKeys.PUT_KV, put.build(), PutKvResponse.parser())
                        .thenApply(PutKvResponse::getBucketsList);
            }
            return connection.send(ApiKeys.PRODUCE, ProduceRequest.newBuilder().setTableId(staged.tableId())
                    .addAllBuckets(requests).setAcks(-1).setTimeoutMs(ackTimeoutMs).build(), ProduceResponse.parser())
                    .thenApply(ProduceResponse::getBucketsList);
        }).handle((results, error) -> {
            if (error != null) {
                Throwable cause = CoordinatorChannel.unwrap(error);
                if (cause instanceof RetriableException) {
                    return true;
                }
                throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
            }
            boolean retry = false;
            for (int i = 0; i < buckets.size(); i++) {
                ProduceBucketResult result = results.get(i);
                ApiException failure = result.getErrorCode() == Errors.NONE.code() ? null
                        : Errors.forCode((short) result.getErrorCode()).exception(result.getErrorMessage());
                if (failure == null || failure instanceof DuplicateSequenceException) {
                    Deque<StagedBatches.Batch> queue = queues.get(buckets.get(i));
                    queue.poll();
                    if (queue.isEmpty()) {
                        queues.remove(buckets.get(i));
                    }
                } else if (failure instanceof RetriableException) {
                    retry = true;
                } else {
                    throw failure;
                }
            }
            return retry;
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestTimeoutException("Interrupted while committing staged batches");
        }
    }

    @Override
    public void close() {
        builders.values().forEach(LogRecordBatchBuilder::close);
        allocator.close();
    }
}
