package io.thermocline.client.internal;

import io.thermocline.client.api.Lookuper;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.bucketing.BucketFunction;
import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.internal.kv.KeyEncoder;
import io.thermocline.common.internal.kv.ValueEncoder;
import io.thermocline.common.metadata.PartitionValues;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.schema.SchemaLookup;
import io.thermocline.common.types.DataField;
import io.thermocline.common.types.RowType;
import io.thermocline.rpc.messages.LookupBucket;
import io.thermocline.rpc.messages.LookupBucketResult;
import io.thermocline.rpc.messages.LookupRequest;
import io.thermocline.rpc.messages.LookupResponse;
import io.thermocline.rpc.messages.PrefixLookupRequest;
import io.thermocline.rpc.messages.PrefixLookupResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;

import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lookups over the bucket leaders: each key is encoded (the servers' key encoding), routed by its
 * bucket key like the writers route rows, and the keys of one leader travel in one request: those
 * of a {@link #lookupAll}, and single lookups in flight together ({@link LeaderLookups}).
 * Retriable errors (a leader moved) refresh the metadata and try again.
 */
final class LookuperImpl implements Lookuper {
    private final TableImpl table;
    private final Schema schema;
    private final KeyEncoder keyEncoder;
    private final BucketFunction bucketFunction;
    /** Reads partition values from key rows; null for tables without partitions. */
    private final PartitionValues.Extractor partitionValues;
    private final int bucketKeyCount;
    /** Single lookups waiting for or riding in a request, per leader address. */
    private final Map<String, LeaderLookups> leaders = new ConcurrentHashMap<>();

    LookuperImpl(TableImpl table) {
        this.table = table;
        TableInfo info = table.info();
        this.schema = info.schema();
        if (!schema.hasPrimaryKey()) {
            throw new InvalidRequestException("Table " + info.path() + " has no primary key to look up");
        }
        List<String> keys = schema.primaryKey();
        List<DataField> keyFields = new ArrayList<>();
        for (String key : keys) {
            keyFields.add(new DataField(key, schema.rowType().typeAt(schema.columnIndex(key))));
        }
        RowType keyType = new RowType(keyFields, false);
        int[] positions = new int[keys.size()];
        Arrays.setAll(positions, i -> i);
        this.keyEncoder = new KeyEncoder(keyType, positions);
        // Key rows hold the key columns in key order; the bucket keys are some of them.
        this.bucketFunction = new BucketFunction(keyType, info.bucketKeys().stream().mapToInt(keys::indexOf).toArray(),
                info.bucketCount());
        this.bucketKeyCount = info.bucketKeys().size();
        Schema.Builder keySchema = Schema.builder();
        keyFields.forEach(f -> keySchema.column(f.name(), f.type()));
        this.partitionValues = info.isPartitioned()
                ? PartitionValues.extractor(info.path(), keySchema.build(), info.partitionKeys()) : null;
    }

    @Override
    public CompletableFuture<Optional<GenericRow>> lookup(InternalRow key) {
        Optional<TableBucket> bucket = bucketOf(key);
        if (bucket.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty()); // its partition does not exist: no row
        }
        String leader = table.leaderAddress(bucket.get());
        if (leader == null) {
            return retried(key);
        }
        CompletableFuture<Optional<GenericRow>> row = new CompletableFuture<>();
        CompletableFuture<byte[]> value = new CompletableFuture<>();
        value.thenCompose(v -> decode(Collections.singletonList(v))).whenComplete((rows, error) -> {
            if (error != null) {
                row.completeExceptionally(error);
            } else {
                row.complete(Optional.ofNullable(rows.get(0)));
            }
        });
        leaders.computeIfAbsent(leader, l -> new LeaderLookups(table)).add(new LeaderLookups.Key(bucket.get(),
                keyEncoder.encode(key), value, failed -> retried(key).whenComplete((found, error) -> {
                    if (error != null) {
                        row.completeExceptionally(error);
                    } else {
                        row.complete(found);
                    }
                })));
        return row;
    }

    /** A key through the retrying path: metadata refreshed on a retriable error, typed errors passed on. */
    private CompletableFuture<Optional<GenericRow>> retried(InternalRow key) {
        return lookupAll(List.of(key)).thenApply(rows -> rows.get(0));
    }

    @Override
    public CompletableFuture<List<Optional<GenericRow>>> lookupAll(List<? extends InternalRow> keys) {
        return table.admin().retrier().retry(() -> attempt(keys));
    }

    private CompletableFuture<List<Optional<GenericRow>>> attempt(List<? extends InternalRow> keys) {
        List<byte[]> values = new ArrayList<>(keys.size()); // null: no row
        // leader address -> bucket -> (key indexes, encoded keys)
        Map<String, Map<TableBucket, List<Integer>>> byLeader = new LinkedHashMap<>();
        List<byte[]> encoded = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            values.add(null);
            InternalRow key = keys.get(i);
            encoded.add(keyEncoder.encode(key));
            Optional<TableBucket> bucket = bucketOf(key);
            if (bucket.isEmpty()) {
                continue; // its partition does not exist: no row
            }
            String leader = table.leaderAddress(bucket.get());
            if (leader == null) {
                table.refresh();
                return CompletableFuture.failedFuture(new io.thermocline.common.exception.NotLeaderException(
                        bucket.get() + " of " + table.info().path() + " has no live leader"));
            }
            byLeader.computeIfAbsent(leader, l -> new LinkedHashMap<>())
                    .computeIfAbsent(bucket.get(), b -> new ArrayList<>()).add(i);
        }
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        byLeader.forEach((leader, buckets) -> {
            Map<TableBucket, List<byte[]>> keysByBucket = new LinkedHashMap<>();
            buckets.forEach((bucket, indexes) -> keysByBucket.put(bucket, indexes.stream().map(encoded::get).toList()));
            List<List<Integer>> order = new ArrayList<>(buckets.values());
            LookupRequest request = LeaderLookups.request(table.info().tableId(), keysByBucket);
            calls.add(table.leader(buckets.keySet().iterator().next(), ConnectionPool.Purpose.CONTROL)
                    .thenCompose(c -> c.send(ApiKeys.LOOKUP, request, LookupResponse.parser()))
                    .thenAccept(response -> {
                        for (int b = 0; b < response.getBucketsCount(); b++) {
                            LookupBucketResult result = response.getBuckets(b);
                            throwIfError(result.getErrorCode(), result.getErrorMessage());
                            List<Integer> indexes = order.get(b);
                            for (int k = 0; k < indexes.size(); k++) {
                                ByteString value = result.getValues(k);
                                values.set(indexes.get(k), value.isEmpty() ? null : value.toByteArray());
                            }
                        }
                    }));
        });
        return CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
                .whenComplete((done, error) -> {
                    if (error != null) {
                        table.refresh();
                    }
                })
                .thenCompose(done -> decode(values))
                .thenApply(rows -> rows.stream().map(Optional::ofNullable).toList());
    }

    @Override
    public CompletableFuture<List<GenericRow>> prefixLookup(InternalRow prefix) {
        TableInfo info = table.info();
        if (info.isPartitioned() || !info.bucketKeys().equals(schema.primaryKey().subList(0, bucketKeyCount))
                || bucketKeyCount == schema.primaryKey().size()) {
            return CompletableFuture.failedFuture(new InvalidRequestException("Table " + info.path() + ": prefix lookups"
                    + " need bucket keys " + info.bucketKeys() + " that are the first, not all, primary-key columns "
                    + schema.primaryKey() + " of a table without partitions"));
        }
        int[] positions = new int[bucketKeyCount];
        Arrays.setAll(positions, i -> i);
        List<DataField> prefixFields = new ArrayList<>();
        for (int i = 0; i < bucketKeyCount; i++) {
            String key = schema.primaryKey().get(i);
            prefixFields.add(new DataField(key, schema.rowType().typeAt(schema.columnIndex(key))));
        }
        byte[] encoded = new KeyEncoder(new RowType(prefixFields, false), positions).encode(prefix);
        TableBucket bucket = new TableBucket(info.tableId(),
                bucketFunction.bucket(prefix));
        return prefixPages(info.tableId(), bucket, ByteString.copyFrom(encoded), ByteString.EMPTY, new ArrayList<>())
                .thenCompose(this::decode);
    }

    /** Every row of a prefix, page by page as the server caps them (lookup.prefix.max-rows). */
    private CompletableFuture<List<byte[]>> prefixPages(long tableId, TableBucket bucket, ByteString prefix,
            ByteString resumeAfter, List<byte[]> values) {
        PrefixLookupRequest request = PrefixLookupRequest.newBuilder().setTableId(tableId)
                .addBuckets(LookupBucket.newBuilder().setBucket(bucket.bucket()).addKeys(prefix)
                        .setResumeAfter(resumeAfter))
                .build();
        return table.admin().retrier().retry(() -> table.leader(bucket, ConnectionPool.Purpose.CONTROL)
                .thenCompose(c -> c.send(ApiKeys.PREFIX_LOOKUP, request, PrefixLookupResponse.parser()))
                .thenApply(response -> {
                    var result = response.getBuckets(0);
                    throwIfError(result.getErrorCode(), result.getErrorMessage());
                    return result.getRows(0);
                })
                .whenComplete((rows, error) -> {
                    if (error != null) {
                        table.refresh();
                    }
                }))
                .thenCompose(page -> {
                    page.getValuesList().forEach(v -> values.add(v.toByteArray()));
                    return page.getResumeKey().isEmpty() ? CompletableFuture.completedFuture(values)
                            : prefixPages(tableId, bucket, prefix, page.getResumeKey(), values);
                });
    }

    /**
     * Values (null: no row) as rows of this lookuper's schema, whichever schema wrote them. A value
     * of a schema not known yet makes the table's metadata be fetched first, without blocking the
     * I/O thread this runs on.
     */
    private CompletableFuture<List<GenericRow>> decode(List<byte[]> values) {
        TableInfo known = table.info();
        boolean allKnown = values.stream().allMatch(v -> v == null || known.schema(ValueEncoder.schemaIdOf(v)).isPresent());
        return (allKnown ? CompletableFuture.completedFuture(known) : table.refresh()).thenApply(info -> {
            SchemaLookup schemas = info.schemas();
            List<GenericRow> rows = new ArrayList<>(values.size());
            for (byte[] value : values) {
                rows.add(value == null ? null : ValueEncoder.decode(value, schemas, schema.rowType()));
            }
            return rows;
        });
    }

    /** Where a key lives; empty when its partition does not exist. */
    private Optional<TableBucket> bucketOf(InternalRow key) {
        TableInfo info = table.info();
        long partitionId = TableBucket.NO_PARTITION;
        if (partitionValues != null) {
            Optional<Long> id = table.existingPartitionId(partitionValues.values(key));
            if (id.isEmpty()) {
                return Optional.empty();
            }
            partitionId = id.get();
        }
        return Optional.of(new TableBucket(info.tableId(), partitionId,
                bucketFunction.bucket(key)));
    }

    private static void throwIfError(int code, String message) {
        if (code != Errors.NONE.code()) {
            ApiException error = Errors.forCode((short) code).exception(message);
            throw error;
        }
    }
}
