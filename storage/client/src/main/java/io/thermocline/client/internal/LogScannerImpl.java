package io.thermocline.client.internal;

import io.thermocline.client.api.LogBatches;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.exception.RetriableException;
import io.thermocline.common.internal.record.ColumnarBatch;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.internal.record.SchemaEvolvingReader;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.types.RowType;
import io.thermocline.rpc.client.ServerConnection;
import io.thermocline.rpc.messages.FetchBucket;
import io.thermocline.rpc.messages.FetchBucketResult;
import io.thermocline.rpc.messages.FetchRequest;
import io.thermocline.rpc.messages.FetchResponse;
import io.thermocline.rpc.messages.FetchTable;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps one fetch outstanding per leader server, also between polls. Servers park a fetch until
 * data arrives, so a poll returns as soon as any leader answers; a fetch still outstanding when a
 * poll returns is picked up by the next poll instead of being sent again.
 */
final class LogScannerImpl implements LogScanner {
    private static final int SERVER_MAX_WAIT_MS = 500;
    private static final int FETCH_MAX_BYTES = 8 << 20;

    private final TableImpl table;
    private final int[] projection;
    private final RowType readType;
    private final BufferAllocator allocator = new RootAllocator();
    private final SchemaEvolvingReader reader;
    /** Next offset to return, per subscribed bucket. */
    private final Map<TableBucket, Long> positions = new LinkedHashMap<>();
    private long bytesFetched;
    /** Outstanding fetches by leader address, with the offsets they were sent for. */
    private final Map<String, InFlight> inFlight = new HashMap<>();

    private record InFlight(CompletableFuture<ServerConnection.WithTrailingBytes<FetchResponse>> response,
            Map<TableBucket, Long> offsets) {}

    LogScannerImpl(TableImpl table, int[] projection) {
        this.table = table;
        this.projection = projection;
        // Rows keep this schema for the scanner's life, whatever schema later batches were written with.
        this.reader = new SchemaEvolvingReader(null, table.schemas(), table.info().schema(), projection, allocator);
        this.readType = reader.rowType();
    }

    @Override
    public void subscribe(int bucket, long offset) {
        subscribe(TableBucket.NO_PARTITION, bucket, offset);
    }

    @Override
    public void subscribe(long partitionId, int bucket, long offset) {
        TableBucket tableBucket = checkBucket(partitionId, bucket);
        positions.put(tableBucket, offset >= 0 ? offset : listOffset(tableBucket,
                offset == EARLIEST ? OffsetSpec.earliest() : OffsetSpec.latest()));
    }

    @Override
    public void subscribeFromTimestamp(int bucket, long timestamp) {
        subscribeFromTimestamp(TableBucket.NO_PARTITION, bucket, timestamp);
    }

    @Override
    public void subscribeFromTimestamp(long partitionId, int bucket, long timestamp) {
        TableBucket tableBucket = checkBucket(partitionId, bucket);
        long offset = listOffset(tableBucket, OffsetSpec.timestamp(timestamp));
        positions.put(tableBucket, offset >= 0 ? offset : listOffset(tableBucket, OffsetSpec.latest()));
    }

    @Override
    public void unsubscribe(int bucket) {
        unsubscribe(TableBucket.NO_PARTITION, bucket);
    }

    @Override
    public void unsubscribe(long partitionId, int bucket) {
        positions.remove(new TableBucket(table.info().tableId(), partitionId, bucket));
    }

    private TableBucket checkBucket(long partitionId, int bucket) {
        TableInfo info = table.info();
        int count = info.bucketCount();
        if (bucket < 0 || bucket >= count) {
            throw new IllegalArgumentException("Table " + info.path() + " has buckets 0 to " + (count - 1)
                    + ", not " + bucket);
        }
        boolean partitioned = partitionId != TableBucket.NO_PARTITION;
        if (info.isPartitioned() != partitioned) {
            throw new IllegalArgumentException("Table " + info.path() + (info.isPartitioned()
                    ? " is partitioned by " + info.partitionKeys() + ": subscribe to a bucket of a partition"
                    : " is not partitioned, yet partition " + partitionId + " was named"));
        }
        if (partitioned && !table.hasPartition(partitionId)) {
            throw new PartitionNotExistException("Table " + info.path() + " has no partition " + partitionId);
        }
        return new TableBucket(info.tableId(), partitionId, bucket);
    }

    private long listOffset(TableBucket bucket, OffsetSpec spec) {
        return TableImpl.join(table.admin().listOffsets(table.info().path(), bucket.partitionId(),
                List.of(bucket.bucket()), spec)).get(bucket.bucket());
    }

    @Override
    public List<ScanRecord> poll(Duration timeout) {
        List<ScanRecord> records = new ArrayList<>();
        poll(timeout, records, (bucket, batches, position) -> decode(bucket, batches, position, records));
        return records;
    }

    @Override
    public List<LogBatches> pollBatches(Duration timeout) {
        List<LogBatches> out = new ArrayList<>();
        poll(timeout, out, (bucket, batches, position) -> {
            long next = position;
            for (LogRecordBatch batch : MemoryLogRecords.readableRecords(batches.duplicate()).batches()) {
                batch.ensureValid(bucket, batch.baseOffset());
                next = Math.max(next, batch.nextOffset());
            }
            if (next > position) {
                out.add(new LogBatches(bucket.partitionId(), bucket.bucket(), position, next, batches));
            }
            return next;
        });
        return out;
    }

    /** Takes a fetched bucket's batches from {@code position} on; returns the bucket's next position. */
    @FunctionalInterface
    private interface BatchSink {
        long accept(TableBucket bucket, java.nio.ByteBuffer batches, long position);
    }

    private void poll(Duration timeout, List<?> records, BatchSink sink) {
        long deadline = System.nanoTime() + timeout.toNanos();
        sendFetches();
        while (true) {
            if (inFlight.isEmpty()) {
                return;
            }
            long left = deadline - System.nanoTime();
            try {
                CompletableFuture.anyOf(inFlight.values().stream().map(InFlight::response)
                        .toArray(CompletableFuture<?>[]::new)).get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return;
            } catch (ExecutionException e) {
                // handled per fetch below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            collect(sink);
            // The next fetches go out before the caller handles these records: the server reads and
            // the network carries while the caller works, as a Kafka consumer's prefetch does.
            sendFetches();
            if (!records.isEmpty() || System.nanoTime() >= deadline) {
                return;
            }
        }
    }

    /** Sends a fetch to each leader that has subscribed buckets and no fetch outstanding. */
    private void sendFetches() {
        TableInfo info = table.info();
        Map<String, Map<TableBucket, Long>> byLeader = new HashMap<>();
        positions.forEach((bucket, offset) -> {
            String leader = table.leaderAddress(bucket);
            if (leader != null && !inFlight.containsKey(leader)) {
                byLeader.computeIfAbsent(leader, l -> new LinkedHashMap<>()).put(bucket, offset);
            }
        });
        byLeader.forEach((leader, offsets) -> {
            FetchTable.Builder fetchTable = FetchTable.newBuilder().setTableId(info.tableId());
            if (projection != null) {
                for (int column : projection) {
                    fetchTable.addProjectedColumns(column);
                }
            }
            offsets.forEach((bucket, offset) -> {
                FetchBucket.Builder fetchBucket = FetchBucket.newBuilder().setBucket(bucket.bucket()).setFetchOffset(offset);
                if (bucket.isPartitioned()) {
                    fetchBucket.setPartitionId(bucket.partitionId());
                }
                fetchTable.addBuckets(fetchBucket);
            });
            FetchRequest request = FetchRequest.newBuilder().setMaxWaitMs(SERVER_MAX_WAIT_MS).setMinBytes(1)
                    .setMaxBytes(FETCH_MAX_BYTES).addTables(fetchTable).build();
            TableBucket anyBucket = offsets.keySet().iterator().next();
            CompletableFuture<ServerConnection.WithTrailingBytes<FetchResponse>> response =
                    table.leader(anyBucket, ConnectionPool.Purpose.READ).thenCompose(connection ->
                            connection.sendWithTrailingBytes(ApiKeys.FETCH, request, FetchResponse.parser()));
            inFlight.put(leader, new InFlight(response, offsets));
        });
    }

    private void collect(BatchSink sink) {
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
                TableBucket bucket = new TableBucket(table.info().tableId(),
                        result.hasPartitionId() ? result.getPartitionId() : TableBucket.NO_PARTITION, result.getBucket());
                Long position = positions.get(bucket);
                if (position == null || !position.equals(entry.getValue().offsets().get(bucket))) {
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
                bytesFetched += result.getRecordsSize();
                positions.put(bucket, sink.accept(bucket, batches, position));
            }
        }
        if (refresh) {
            table.refresh().join();
        }
    }

    @Override
    public long position(long partitionId, int bucket) {
        Long position = positions.get(new TableBucket(table.info().tableId(), partitionId, bucket));
        if (position == null) {
            throw new IllegalStateException("Bucket " + bucket + (partitionId == TableBucket.NO_PARTITION ? ""
                    : " of partition " + partitionId) + " of " + table.info().path() + " is not subscribed");
        }
        return position;
    }

    private long decode(TableBucket bucket, java.nio.ByteBuffer batches, long position, List<ScanRecord> out) {
        long next = position;
        MemoryLogRecords records = MemoryLogRecords.readableRecords(batches);
        for (LogRecordBatch batch : records.batches()) {
            batch.ensureValid(bucket, batch.baseOffset());
            ColumnarBatch rows = reader.read(batch);
            for (int i = 0; i < rows.recordCount(); i++) {
                long offset = rows.offset(i);
                if (offset < next) {
                    continue; // the batch began before the requested offset
                }
                out.add(new ScanRecord(bucket.partitionId(), bucket.bucket(), offset, rows.commitTimestamp(),
                        rows.changeType(i).shortString(), GenericRow.copyOf(rows.row(i), readType)));
                next = offset + 1;
            }
            next = Math.max(next, batch.nextOffset()); // past a no-op marker too
        }
        return next;
    }

    @Override
    public long bytesFetched() {
        return bytesFetched;
    }

    @Override
    public void close() {
        inFlight.values().forEach(f -> f.response().cancel(false));
        inFlight.clear();
        reader.close();
        allocator.close();
    }
}
