package io.thermocline.server.tablet;

import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.RequestTimeoutException;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordBatchFormat;
import io.thermocline.common.internal.record.LogRecords;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.internal.utils.Clock;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.messages.FetchBucket;
import io.thermocline.rpc.messages.FetchBucketResult;
import io.thermocline.rpc.messages.FetchRequest;
import io.thermocline.rpc.messages.FetchResponse;
import io.thermocline.rpc.messages.FetchTable;
import io.thermocline.rpc.messages.FetchTableResult;
import io.thermocline.rpc.messages.ListOffsetsRequest;
import io.thermocline.rpc.messages.ListOffsetsResponse;
import io.thermocline.rpc.messages.ListOffsetsResult;
import io.thermocline.rpc.messages.LookupBucket;
import io.thermocline.rpc.messages.LookupBucketResult;
import io.thermocline.rpc.messages.LookupRequest;
import io.thermocline.rpc.messages.LookupResponse;
import io.thermocline.rpc.messages.PrefixLookupBucketResult;
import io.thermocline.rpc.messages.PrefixLookupRequest;
import io.thermocline.rpc.messages.PrefixLookupResponse;
import io.thermocline.rpc.messages.PrefixRows;
import io.thermocline.rpc.messages.ProduceBucket;
import io.thermocline.rpc.messages.ProduceBucketResult;
import io.thermocline.rpc.messages.ProduceRequest;
import io.thermocline.rpc.messages.ProduceResponse;
import io.thermocline.rpc.messages.PutKvRequest;
import io.thermocline.rpc.messages.PutKvResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.protocol.TrailingBytes;
import io.thermocline.rpc.security.Principal;
import io.thermocline.rpc.server.ResponseWithTrailingBytes;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.kv.KvTablet;
import io.thermocline.server.log.FileLogRecords;
import io.thermocline.server.log.LogAppendInfo;
import io.thermocline.server.security.WriterIds;

import com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Produce, fetch and list-offsets on the buckets this server leads. Errors are per bucket, so
 * one bad bucket never fails the others. Fetched batches follow the response message as trailing
 * bytes, sent from the segment files with transferTo (projected batches from memory). A fetch
 * that finds fewer than {@code min_bytes} parks until an append moves what it waits on (the high
 * watermark for consumers, the log end for followers), or {@code max_wait_ms} passes. Followers
 * fetch like consumers with their server id and leader epoch; their fetch offsets tell the
 * leader what they hold.
 */
final class DataService {
    private static final Logger LOG = LoggerFactory.getLogger(DataService.class);

    /**
     * The longest a fetch waits for data, whatever it asks: a waiting fetch holds a timer and a
     * future, and a client that asks for days and goes away must not leave them for days.
     */
    private static final int MAX_FETCH_WAIT_MS = 30_000;

    /** Used when a produce request names no timeout. */
    private static final long DEFAULT_ACK_TIMEOUT_MS = 30_000;

    private final ReplicaManager replicas;
    private final Clock clock;
    private final TabletServerMetrics metrics;

    /** Checks that a batch's idempotent writer id belongs to the principal sending it. */
    private final WriterIds writerIds;
    /** The server's cap on one fetch response, whatever the request asks. */
    private final int maxFetchBytes;
    /** Rows of one prefix lookup per response; the client asks for the rest page by page. */
    private final int maxPrefixRows;

    DataService(ReplicaManager replicas, Clock clock, TabletServerMetrics metrics, WriterIds writerIds,
            int maxFetchBytes, int maxPrefixRows) {
        this.writerIds = writerIds;
        this.maxFetchBytes = maxFetchBytes;
        this.maxPrefixRows = maxPrefixRows;
        this.replicas = replicas;
        this.clock = clock;
        this.metrics = metrics;
    }

    void register(RpcService.Builder service) {
        service.register(ApiKeys.PRODUCE, ProduceRequest.parser(), (ctx, r) -> produce(r, ctx.principal()))
                .registerWithTrailingBytes(ApiKeys.FETCH, FetchRequest.parser(), (ctx, r) -> fetch(r))
                .register(ApiKeys.LIST_OFFSETS, ListOffsetsRequest.parser(),
                        (ctx, r) -> CompletableFuture.completedFuture(listOffsets(r)))
                .register(ApiKeys.PUT_KV, PutKvRequest.parser(), (ctx, r) -> putKv(r, ctx.principal()))
                .register(ApiKeys.LOOKUP, LookupRequest.parser(), (ctx, r) -> CompletableFuture.completedFuture(lookup(r)))
                .register(ApiKeys.PREFIX_LOOKUP, PrefixLookupRequest.parser(),
                        (ctx, r) -> CompletableFuture.completedFuture(prefixLookup(r)));
    }

    /**
     * Appends each bucket's batches; with acks=all (the default) a bucket's result waits until the
     * minimum in-sync replicas hold its batches, or fails when leadership moves or time runs out.
     */
    private CompletableFuture<ProduceResponse> produce(ProduceRequest request, Principal principal) {
        return write(principal, request.getTableId(), request.getBucketsList(), request.hasAcks() ? request.getAcks() : -1,
                request.getTimeoutMs(), (replica, records, acksAll) -> {
                    if (replicas.table(request.getTableId()).latest().hasPrimaryKey()) {
                        throw new InvalidRequestException("Table " + replicas.table(request.getTableId()).registration()
                                .path() + " has a primary key: write it with an upsert writer, not an append writer");
                    }
                    return replica.appendAsLeader(records, acksAll);
                }).thenApply(results -> ProduceResponse.newBuilder().addAllBuckets(results).build());
    }

    private CompletableFuture<PutKvResponse> putKv(PutKvRequest request, Principal principal) {
        int[] targets = request.getTargetColumnsList().stream().mapToInt(Integer::intValue).toArray();
        // The replica checks the target columns against the schema of the batches.
        return write(principal, request.getTableId(), request.getBucketsList(), request.hasAcks() ? request.getAcks() : -1,
                request.getTimeoutMs(),
                (replica, records, acksAll) -> replica.putKv(records, targets.length == 0 ? null : targets, acksAll))
                .thenApply(results -> PutKvResponse.newBuilder().addAllBuckets(results).build());
    }

    /** Appends to one bucket's leader replica. */
    @FunctionalInterface
    private interface BucketWrite {
        LogAppendInfo write(Replica replica, MemoryLogRecords records, boolean acksAll);
    }

    /**
     * Writes each bucket's batches; with acks=all (the default) a bucket's result waits until the
     * minimum in-sync replicas hold its batches, or fails when leadership moves or time runs out.
     */
    private CompletableFuture<List<ProduceBucketResult>> write(Principal principal, long tableId,
            List<ProduceBucket> buckets, int acks, int timeoutMs, BucketWrite write) {
        if (acks != -1 && acks != 0 && acks != 1) {
            return CompletableFuture.failedFuture(new InvalidRequestException("acks must be -1 (all), 0 or 1, not " + acks));
        }
        List<CompletableFuture<ProduceBucketResult>> results = new ArrayList<>();
        for (ProduceBucket bucket : buckets) {
            ProduceBucketResult.Builder result = ProduceBucketResult.newBuilder().setBucket(bucket.getBucket());
            if (bucket.hasPartitionId()) {
                result.setPartitionId(bucket.getPartitionId());
            }
            try {
                Replica replica = replicas.leaderReplica(tableBucket(tableId, bucket.hasPartitionId(),
                        bucket.getPartitionId(), bucket.getBucket()));
                // The leader stamps offsets into the bytes, so they need a writable copy.
                MemoryLogRecords records = MemoryLogRecords.readableRecords(ByteBuffer.wrap(bucket.getRecords().toByteArray()));
                for (LogRecordBatch batch : records.batches()) {
                    if (batch.writerId() != LogRecordBatchFormat.NO_WRITER_ID) {
                        writerIds.check(batch.writerId(), principal, replica.bucket().toString());
                    }
                }
                LogAppendInfo info = write.write(replica, records, acks == -1);
                metrics.written(tableId, info);
                result.setBaseOffset(info.firstOffset()).setCommitTimestamp(info.commitTimestamp());
                if (acks != -1) {
                    results.add(CompletableFuture.completedFuture(result.build()));
                    continue;
                }
                long ackTimeoutMs = timeoutMs > 0 ? timeoutMs : DEFAULT_ACK_TIMEOUT_MS;
                results.add(replica.awaitCommitted(info.lastOffset() + 1)
                        .orTimeout(ackTimeoutMs, TimeUnit.MILLISECONDS)
                        .handle((done, error) -> {
                            if (error != null) {
                                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                                RuntimeException failure = cause instanceof TimeoutException
                                        ? new RequestTimeoutException(replica.bucket() + ": the in-sync replicas did not"
                                                + " confirm offsets " + info.firstOffset() + " to " + info.lastOffset()
                                                + " within " + ackTimeoutMs + " ms")
                                        : cause instanceof RuntimeException ? (RuntimeException) cause
                                                : new IllegalStateException(cause);
                                result.clearBaseOffset().clearCommitTimestamp();
                                setError(failure, tableId, bucket.getBucket(), result::setErrorCode,
                                        result::setErrorMessage);
                            }
                            return result.build();
                        }));
            } catch (RuntimeException e) {
                setError(e, tableId, bucket.getBucket(), result::setErrorCode, result::setErrorMessage);
                results.add(CompletableFuture.completedFuture(result.build()));
            }
        }
        return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            List<ProduceBucketResult> list = new ArrayList<>();
            results.forEach(r -> list.add(r.join()));
            return list;
        });
    }

    private LookupResponse lookup(LookupRequest request) {
        LookupResponse.Builder response = LookupResponse.newBuilder();
        for (LookupBucket bucket : request.getBucketsList()) {
            LookupBucketResult.Builder result = LookupBucketResult.newBuilder().setBucket(bucket.getBucket());
            if (bucket.hasPartitionId()) {
                result.setPartitionId(bucket.getPartitionId());
            }
            try {
                Replica replica = replicas.leaderReplica(tableBucket(request.getTableId(), bucket.hasPartitionId(),
                        bucket.getPartitionId(), bucket.getBucket()));
                List<byte[]> keys = new ArrayList<>();
                bucket.getKeysList().forEach(k -> keys.add(k.toByteArray()));
                metrics.lookedUp(request.getTableId(), keys.size());
                for (byte[] value : replica.lookup(keys)) {
                    result.addValues(value == null ? ByteString.EMPTY : ByteString.copyFrom(value));
                }
            } catch (RuntimeException e) {
                setError(e, request.getTableId(), bucket.getBucket(), result::setErrorCode, result::setErrorMessage);
            }
            response.addBuckets(result);
        }
        return response.build();
    }

    private PrefixLookupResponse prefixLookup(PrefixLookupRequest request) {
        PrefixLookupResponse.Builder response = PrefixLookupResponse.newBuilder();
        for (LookupBucket bucket : request.getBucketsList()) {
            PrefixLookupBucketResult.Builder result = PrefixLookupBucketResult.newBuilder().setBucket(bucket.getBucket());
            if (bucket.hasPartitionId()) {
                result.setPartitionId(bucket.getPartitionId());
            }
            try {
                Replica replica = replicas.leaderReplica(tableBucket(request.getTableId(), bucket.hasPartitionId(),
                        bucket.getPartitionId(), bucket.getBucket()));
                metrics.lookedUp(request.getTableId(), bucket.getKeysCount());
                byte[] resumeAfter = bucket.getResumeAfter().isEmpty() ? null : bucket.getResumeAfter().toByteArray();
                for (ByteString prefix : bucket.getKeysList()) {
                    PrefixRows.Builder rows = PrefixRows.newBuilder();
                    KvTablet.PrefixPage page = replica.prefixLookup(prefix.toByteArray(), resumeAfter, maxPrefixRows);
                    page.values().forEach(v -> rows.addValues(ByteString.copyFrom(v)));
                    if (page.resumeKey() != null) {
                        rows.setResumeKey(ByteString.copyFrom(page.resumeKey()));
                    }
                    result.addRows(rows);
                }
            } catch (RuntimeException e) {
                setError(e, request.getTableId(), bucket.getBucket(), result::setErrorCode, result::setErrorMessage);
            }
            response.addBuckets(result);
        }
        return response.build();
    }

    private CompletableFuture<ResponseWithTrailingBytes> fetch(FetchRequest request) {
        boolean follower = request.hasFollowerId();
        if (follower) {
            recordFollowerPositions(request);
        }
        ResponseWithTrailingBytes first = read(request, follower);
        int minBytes = Math.max(1, request.getMinBytes());
        if (request.getMaxWaitMs() <= 0 || bytesOf(first) >= minBytes || hasErrors((FetchResponse) first.message())) {
            return CompletableFuture.completedFuture(first);
        }
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (FetchTable table : request.getTablesList()) {
            for (FetchBucket bucket : table.getBucketsList()) {
                try {
                    Replica replica = replicas.leaderReplica(tableBucket(table.getTableId(), bucket.hasPartitionId(),
                            bucket.getPartitionId(), bucket.getBucket()));
                    // Followers wait for the log end to move, consumers for the high watermark.
                    waits.add(follower ? replica.logEndAfter(bucket.getFetchOffset())
                            : replica.dataAfter(bucket.getFetchOffset()));
                } catch (RuntimeException e) {
                    // The bucket changed since the first read (dropped, leader moved): answer now, with its error.
                    waits.add(CompletableFuture.completedFuture(null));
                }
            }
        }
        return CompletableFuture.anyOf(waits.toArray(new CompletableFuture<?>[0]))
                .completeOnTimeout(null, Math.min(request.getMaxWaitMs(), MAX_FETCH_WAIT_MS), TimeUnit.MILLISECONDS)
                .thenApply(ignored -> read(request, follower));
    }

    /** A follower's fetch offsets say what it holds: the leader may advance its high watermark. */
    private void recordFollowerPositions(FetchRequest request) {
        long now = clock.milliseconds();
        for (FetchTable table : request.getTablesList()) {
            for (FetchBucket bucket : table.getBucketsList()) {
                try {
                    replicas.leaderReplica(tableBucket(table.getTableId(), bucket.hasPartitionId(), bucket.getPartitionId(),
                            bucket.getBucket())).onFollowerFetch(request.getFollowerId(), bucket.getCurrentLeaderEpoch(),
                            bucket.getFetchOffset(), now);
                } catch (RuntimeException e) {
                    // reported per bucket by the read that follows
                }
            }
        }
    }

    /** The response message and, after it, every bucket's batches in result order (files zero-copy). */
    private ResponseWithTrailingBytes read(FetchRequest request, boolean follower) {
        FetchResponse.Builder response = FetchResponse.newBuilder();
        List<TrailingBytes> trailing = new ArrayList<>();
        int budget = request.getMaxBytes() > 0 ? Math.min(request.getMaxBytes(), maxFetchBytes) : maxFetchBytes;
        for (FetchTable table : request.getTablesList()) {
            FetchTableResult.Builder tableResult = FetchTableResult.newBuilder().setTableId(table.getTableId());
            for (FetchBucket bucket : table.getBucketsList()) {
                FetchBucketResult.Builder result = FetchBucketResult.newBuilder().setBucket(bucket.getBucket());
                if (bucket.hasPartitionId()) {
                    result.setPartitionId(bucket.getPartitionId());
                }
                Replica replica = null;
                try {
                    TableBucket tableBucket = tableBucket(table.getTableId(), bucket.hasPartitionId(),
                            bucket.getPartitionId(), bucket.getBucket());
                    replica = replicas.leaderReplica(tableBucket);
                    if (follower) {
                        replica.checkEpoch(bucket.getCurrentLeaderEpoch());
                    }
                    int maxBytes = Math.max(1, Math.min(budget, bucket.getMaxBytes() > 0 ? bucket.getMaxBytes() : budget));
                    LogRecords records = follower ? replica.readForFollower(bucket.getFetchOffset(), maxBytes)
                            : replica.read(bucket.getFetchOffset(), maxBytes,
                                    replicas.projection(table.getTableId(), table.getProjectedColumnsList(), tableBucket));
                    result.setHighWatermark(replica.highWatermark())
                            .setLogStartOffset(replica.log().logStartOffset())
                            .setLogEndOffset(replica.log().logEndOffset())
                            .setRecordsSize(records.sizeInBytes());
                    if (records.sizeInBytes() > 0) {
                        trailing.add(trailingBytes(records));
                    }
                    budget -= records.sizeInBytes();
                } catch (RuntimeException e) {
                    setError(e, table.getTableId(), bucket.getBucket(), result::setErrorCode, result::setErrorMessage);
                    if (replica != null) {
                        // Out of range: the bounds tell the reader where to go.
                        result.setLogStartOffset(replica.log().logStartOffset())
                                .setLogEndOffset(replica.log().logEndOffset());
                    }
                }
                tableResult.addBuckets(result);
            }
            response.addTables(tableResult);
        }
        return new ResponseWithTrailingBytes(response.build(), trailing);
    }

    private ListOffsetsResponse listOffsets(ListOffsetsRequest request) {
        ListOffsetsResponse.Builder response = ListOffsetsResponse.newBuilder();
        for (int bucket : request.getBucketsList()) {
            ListOffsetsResult.Builder result = ListOffsetsResult.newBuilder().setBucket(bucket);
            try {
                Replica replica = replicas.leaderReplica(tableBucket(request.getTableId(), request.hasPartitionId(),
                        request.getPartitionId(), bucket));
                long offset;
                switch (request.getSpec()) {
                    case 0:
                        offset = replica.log().logStartOffset();
                        break;
                    case 1:
                        offset = replica.highWatermark();
                        break;
                    case 2:
                        offset = replica.log().offsetForTimestamp(request.getTimestamp())
                                .stream().filter(o -> o < replica.highWatermark()).findFirst().orElse(-1L);
                        break;
                    default:
                        throw new InvalidRequestException("Unknown offset spec " + request.getSpec()
                                + " (0 earliest, 1 latest, 2 timestamp)");
                }
                result.setOffset(offset);
            } catch (RuntimeException e) {
                setError(e, request.getTableId(), bucket, result::setErrorCode, result::setErrorMessage);
            }
            response.addBuckets(result);
        }
        return response.build();
    }

    /** A bucket named on the wire; a bad bucket number is the request's fault, and said so. */
    private static TableBucket tableBucket(long tableId, boolean partitioned, long partitionId, int bucket) {
        if (bucket < 0) {
            throw new InvalidRequestException("Table id " + tableId + " has no bucket " + bucket);
        }
        return new TableBucket(tableId, partitioned ? partitionId : TableBucket.NO_PARTITION, bucket);
    }

    private static TrailingBytes trailingBytes(LogRecords records) {
        if (records instanceof FileLogRecords) {
            FileLogRecords file = (FileLogRecords) records;
            return new TrailingBytes.FileSlice(file.channel(), file.start(), file.sizeInBytes());
        }
        return new TrailingBytes.Buffer(((MemoryLogRecords) records).buffer());
    }

    private static long bytesOf(ResponseWithTrailingBytes response) {
        long total = 0;
        for (TrailingBytes part : response.trailing()) {
            total += part.length();
        }
        return total;
    }

    private static boolean hasErrors(FetchResponse response) {
        return response.getTablesList().stream()
                .flatMap(t -> t.getBucketsList().stream())
                .anyMatch(b -> b.getErrorCode() != Errors.NONE.code());
    }

    private static void setError(RuntimeException e, long tableId, int bucket, java.util.function.IntConsumer code,
            java.util.function.Consumer<String> message) {
        setError(e, "table id " + tableId + " bucket " + bucket, code, message);
    }

    private static void setError(RuntimeException e, Object bucket, java.util.function.IntConsumer code,
            java.util.function.Consumer<String> message) {
        Errors error = Errors.forException(e);
        code.accept(error.code());
        if (e instanceof ApiException) {
            message.accept(e.getMessage());
        } else {
            LOG.error("Unexpected error on {}", bucket, e);
            message.accept("Unexpected server error on " + bucket + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
