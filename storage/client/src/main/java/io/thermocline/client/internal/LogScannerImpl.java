package io.thermocline.client.internal;

import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.RetriableException;
import io.thermocline.common.internal.record.ColumnarBatch;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordReader;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.types.RowType;
import io.thermocline.rpc.messages.FetchBucket;
import io.thermocline.rpc.messages.FetchBucketResult;
import io.thermocline.rpc.messages.FetchRequest;
import io.thermocline.rpc.messages.FetchResponse;
import io.thermocline.rpc.messages.FetchTable;
import io.thermocline.rpc.messages.ListOffsetsRequest;
import io.thermocline.rpc.messages.ListOffsetsResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.client.ServerConnection;
import io.thermocline.rpc.protocol.Errors;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps one fetch outstanding per leader server. Servers park a fetch until data arrives, so a
 * poll returns as soon as any leader answers; a fetch still outstanding when a poll returns is
 * picked up by the next poll instead of being sent again.
 */
final class LogScannerImpl implements LogScanner {
    private static final int SERVER_MAX_WAIT_MS = 500;
    private static final int FETCH_MAX_BYTES = 8 << 20;

    private final TableImpl table;
    private final int[] projection;
    private final RowType readType;
    private final BufferAllocator allocator = new RootAllocator();
    private final LogRecordReader reader;
    /** Next offset to return, per subscribed bucket. */
    private final Map<Integer, Long> positions = new TreeMap<>();
    /** Outstanding fetches by leader address, with the offsets they were sent for. */
    private final Map<String, InFlight> inFlight = new HashMap<>();

    private record InFlight(CompletableFuture<ServerConnection.WithTrailingBytes<FetchResponse>> response,
            Map<Integer, Long> offsets) {}

    LogScannerImpl(TableImpl table, int[] projection) {
        this.table = table;
        this.projection = projection;
        RowType full = table.info().schema().rowType();
        this.readType = projection == null ? full : full.project(projection);
        this.reader = new LogRecordReader(null, readType, allocator);
    }

    @Override
    public void subscribe(int bucket, long offset) {
        checkBucket(bucket);
        positions.put(bucket, offset >= 0 ? offset : listOffset(bucket, offset == EARLIEST ? 0 : 1, 0));
    }

    @Override
    public void subscribeFromTimestamp(int bucket, long timestamp) {
        checkBucket(bucket);
        long offset = listOffset(bucket, 2, timestamp);
        positions.put(bucket, offset >= 0 ? offset : listOffset(bucket, 1, 0));
    }

    @Override
    public void unsubscribe(int bucket) {
        positions.remove(bucket);
    }

    private void checkBucket(int bucket) {
        int count = table.info().bucketCount();
        if (bucket < 0 || bucket >= count) {
            throw new IllegalArgumentException("Table " + table.info().path() + " has buckets 0 to " + (count - 1)
                    + ", not " + bucket);
        }
    }

    private long listOffset(int bucket, int spec, long timestamp) {
        ListOffsetsRequest request = ListOffsetsRequest.newBuilder().setTableId(table.info().tableId())
                .addBuckets(bucket).setSpec(spec).setTimestamp(timestamp).build();
        try {
            var result = table.leader(bucket)
                    .thenCompose(leader -> leader.send(ApiKeys.LIST_OFFSETS, request, ListOffsetsResponse.parser()))
                    .get(60, TimeUnit.SECONDS).getBuckets(0);
            if (result.getErrorCode() != Errors.NONE.code()) {
                throw Errors.forCode((short) result.getErrorCode()).exception(result.getErrorMessage());
            }
            return result.getOffset();
        } catch (ExecutionException e) {
            Throwable cause = CoordinatorChannel.unwrap(e.getCause());
            throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
        } catch (InterruptedException | TimeoutException e) {
            throw new io.thermocline.common.exception.RequestTimeoutException(
                    "Cannot resolve the start offset of bucket " + bucket + " of " + table.info().path() + ": " + e);
        }
    }

    @Override
    public List<ScanRecord> poll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ScanRecord> records = new ArrayList<>();
        while (true) {
            sendFetches();
            if (inFlight.isEmpty()) {
                return records;
            }
            long left = deadline - System.nanoTime();
            try {
                CompletableFuture.anyOf(inFlight.values().stream().map(InFlight::response)
                        .toArray(CompletableFuture<?>[]::new)).get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return records;
            } catch (ExecutionException e) {
                // handled per fetch below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return records;
            }
            collect(records);
            if (!records.isEmpty() || System.nanoTime() >= deadline) {
                return records;
            }
        }
    }

    /** Sends a fetch to each leader that has subscribed buckets and no fetch outstanding. */
    private void sendFetches() {
        TableInfo info = table.info();
        Map<String, Map<Integer, Long>> byLeader = new HashMap<>();
        positions.forEach((bucket, offset) -> {
            String leader = info.buckets().get(bucket).leaderAddress();
            if (leader != null && !inFlight.containsKey(leader)) {
                byLeader.computeIfAbsent(leader, l -> new TreeMap<>()).put(bucket, offset);
            }
        });
        byLeader.forEach((leader, offsets) -> {
            FetchTable.Builder fetchTable = FetchTable.newBuilder().setTableId(info.tableId());
            if (projection != null) {
                for (int column : projection) {
                    fetchTable.addProjectedColumns(column);
                }
            }
            offsets.forEach((bucket, offset) -> fetchTable.addBuckets(
                    FetchBucket.newBuilder().setBucket(bucket).setFetchOffset(offset)));
            FetchRequest request = FetchRequest.newBuilder().setMaxWaitMs(SERVER_MAX_WAIT_MS).setMinBytes(1)
                    .setMaxBytes(FETCH_MAX_BYTES).addTables(fetchTable).build();
            int anyBucket = offsets.keySet().iterator().next();
            CompletableFuture<ServerConnection.WithTrailingBytes<FetchResponse>> response =
                    table.leader(anyBucket, ConnectionPool.Purpose.READ).thenCompose(connection ->
                            connection.sendWithTrailingBytes(ApiKeys.FETCH, request, FetchResponse.parser()));
            inFlight.put(leader, new InFlight(response, offsets));
        });
    }

    private void collect(List<ScanRecord> records) {
        var done = new ArrayList<Map.Entry<String, InFlight>>();
        inFlight.entrySet().stream().filter(e -> e.getValue().response().isDone()).forEach(done::add);
        boolean refresh = false;
        for (var entry : done) {
            inFlight.remove(entry.getKey());
            ServerConnection.WithTrailingBytes<FetchResponse> response;
            try {
                response = entry.getValue().response().join();
            } catch (RuntimeException e) {
                Throwable cause = CoordinatorChannel.unwrap(e);
                if (cause instanceof RetriableException) {
                    refresh = true;
                    continue;
                }
                throw cause instanceof RuntimeException ? (RuntimeException) cause : e;
            }
            java.nio.ByteBuffer trailing = response.trailing();
            for (FetchBucketResult result : response.message().getTables(0).getBucketsList()) {
                // Each bucket's batches follow the message in result order.
                java.nio.ByteBuffer batches = trailing.slice().limit(result.getRecordsSize());
                trailing.position(trailing.position() + result.getRecordsSize());
                Long position = positions.get(result.getBucket());
                if (position == null || position.longValue() != entry.getValue().offsets().get(result.getBucket())) {
                    continue; // unsubscribed or moved meanwhile
                }
                if (result.getErrorCode() != Errors.NONE.code()) {
                    ApiException error = Errors.forCode((short) result.getErrorCode()).exception(result.getErrorMessage());
                    if (error instanceof RetriableException) {
                        refresh = true;
                        continue;
                    }
                    throw error;
                }
                positions.put(result.getBucket(), decode(result.getBucket(), batches, position, records));
            }
        }
        if (refresh) {
            table.refresh().join();
        }
    }

    private long decode(int bucketNumber, java.nio.ByteBuffer batches, long position, List<ScanRecord> out) {
        long next = position;
        TableBucket bucket = new TableBucket(table.info().tableId(), bucketNumber);
        MemoryLogRecords records = MemoryLogRecords.readableRecords(batches);
        for (LogRecordBatch batch : records.batches()) {
            batch.ensureValid(bucket, batch.baseOffset());
            ColumnarBatch rows = reader.read(batch);
            for (int i = 0; i < rows.recordCount(); i++) {
                long offset = rows.offset(i);
                if (offset < next) {
                    continue; // the batch began before the requested offset
                }
                out.add(new ScanRecord(bucketNumber, offset, rows.commitTimestamp(),
                        rows.changeType(i).shortString(), GenericRow.copyOf(rows.row(i), readType)));
                next = offset + 1;
            }
        }
        return next;
    }

    @Override
    public void close() {
        inFlight.values().forEach(f -> f.response().cancel(false));
        inFlight.clear();
        reader.close();
        allocator.close();
    }
}
