package io.thermocline.client.internal;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.ClientOptions;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.Lookuper;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableInfo;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.NotLeaderException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.exception.RequestTimeoutException;
import io.thermocline.common.metadata.PartitionValues;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.SchemaLookup;
import io.thermocline.rpc.client.ServerConnection;
import io.thermocline.rpc.messages.ListPartitionsResponse;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A table's metadata (refreshed when a leader moved or a partition is missing), with the leaders
 * of its buckets or of its partitions' buckets, and the factory of its writers and scanners.
 */
final class TableImpl implements Table {
    private final TablePath path;
    private final AdminImpl admin;
    private final ConnectionPool pool;
    private final Configuration conf;
    private final ScheduledExecutorService scheduler;
    private volatile TableInfo info;
    private volatile Partitions partitions = new Partitions(Map.of(), Map.of());
    private volatile CompletableFuture<TableInfo> refreshing;

    /** A partitioned table's partitions: ids by name, bucket leaders by id. */
    private record Partitions(Map<String, Long> idsByName, Map<Long, List<TableInfo.BucketLeader>> leaders) {}

    TableImpl(TablePath path, AdminImpl admin, ConnectionPool pool, Configuration conf, ScheduledExecutorService scheduler) {
        this.path = path;
        this.admin = admin;
        this.pool = pool;
        this.conf = conf;
        this.scheduler = scheduler;
        this.info = join(refresh());
    }

    @Override
    public TableInfo info() {
        return info;
    }

    /**
     * The table's schemas by id, fetched again when a batch or value names one not known yet (it
     * was written after an ALTER TABLE that followed this table's metadata). Blocks then.
     */
    SchemaLookup schemas() {
        return schemaId -> info.schema(schemaId).orElseGet(() -> join(refresh()).schemas().schema(schemaId));
    }

    /** Fetches fresh metadata once however many callers ask at the same time. */
    CompletableFuture<TableInfo> refresh() {
        CompletableFuture<TableInfo> current = refreshing;
        if (current != null && !current.isDone()) {
            return current;
        }
        CompletableFuture<TableInfo> next = admin.getTable(path).thenCompose(fresh -> {
            if (!fresh.isPartitioned()) {
                info = fresh;
                return CompletableFuture.completedFuture(fresh);
            }
            return admin.listPartitionLocations(path).thenApply(response -> {
                partitions = partitions(response);
                info = fresh;
                return fresh;
            });
        });
        refreshing = next;
        return next;
    }

    private static Partitions partitions(ListPartitionsResponse response) {
        Map<Integer, String> addresses = AdminImpl.addresses(response.getServersList());
        Map<String, Long> ids = new HashMap<>();
        Map<Long, List<TableInfo.BucketLeader>> leaders = new HashMap<>();
        for (var partition : response.getPartitionsList()) {
            ids.put(partition.getName(), partition.getPartitionId());
            leaders.put(partition.getPartitionId(), AdminImpl.bucketLeaders(partition.getBucketsList(), addresses));
        }
        return new Partitions(Map.copyOf(ids), Map.copyOf(leaders));
    }

    /**
     * The id of the partition with these values (canonical text, in partition-key order),
     * refreshing metadata when it is not known yet and creating it when allowed. Blocks.
     */
    long partitionId(List<String> values) {
        String name = PartitionValues.name(info.partitionKeys(), values);
        Long id = partitions.idsByName().get(name);
        if (id != null) {
            return id;
        }
        join(refresh());
        id = partitions.idsByName().get(name);
        if (id == null && conf.get(ClientOptions.WRITER_DYNAMIC_PARTITION_CREATION)) {
            Map<String, String> spec = new LinkedHashMap<>();
            for (int i = 0; i < values.size(); i++) {
                spec.put(info.partitionKeys().get(i), values.get(i));
            }
            join(admin.createPartition(path, spec, true));
            join(refresh());
            id = partitions.idsByName().get(name);
        }
        if (id == null) {
            throw new PartitionNotExistException("Table " + path + " has no partition " + name + " (create it, or"
                    + " turn on " + ClientOptions.WRITER_DYNAMIC_PARTITION_CREATION.key() + ")");
        }
        return id;
    }

    /** The id of an existing partition with these values, refreshing once when it is not known; never creates one. */
    Optional<Long> existingPartitionId(List<String> values) {
        String name = PartitionValues.name(info.partitionKeys(), values);
        Long id = partitions.idsByName().get(name);
        if (id == null) {
            join(refresh());
            id = partitions.idsByName().get(name);
        }
        return Optional.ofNullable(id);
    }

    /** Whether a partition id is known, refreshing once when it is not. */
    boolean hasPartition(long partitionId) {
        if (partitions.leaders().containsKey(partitionId)) {
            return true;
        }
        join(refresh());
        return partitions.leaders().containsKey(partitionId);
    }

    /** The address of a bucket's leader, or null when it has none or its partition is unknown. */
    String leaderAddress(TableBucket bucket) {
        List<TableInfo.BucketLeader> leaders = bucket.isPartitioned()
                ? partitions.leaders().get(bucket.partitionId()) : info.buckets();
        return leaders == null || bucket.bucket() >= leaders.size() ? null : leaders.get(bucket.bucket()).leaderAddress();
    }

    /** A connection to the current leader of a bucket; fails when it has none. */
    CompletableFuture<ServerConnection> leader(TableBucket bucket, ConnectionPool.Purpose purpose) {
        String address = leaderAddress(bucket);
        if (address == null) {
            return CompletableFuture.failedFuture(new NotLeaderException("Bucket " + bucket.bucket()
                    + (bucket.isPartitioned() ? " of partition " + bucket.partitionId() : "") + " of " + path
                    + " has no live leader"));
        }
        return pool.get(address, purpose);
    }

    AdminImpl admin() {
        return admin;
    }

    ConnectionPool pool() {
        return pool;
    }

    Configuration conf() {
        return conf;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Waits for metadata, rethrowing the API exception that failed it. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = CoordinatorChannel.unwrap(e.getCause());
            throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestTimeoutException("Interrupted while waiting for metadata");
        }
    }

    @Override
    public AppendWriter newAppendWriter() {
        return new AppendWriterImpl(this);
    }

    @Override
    public UpsertWriter newUpsertWriter() {
        return new UpsertWriterImpl(this, null);
    }

    @Override
    public UpsertWriter newUpsertWriter(String... targetColumns) {
        return new UpsertWriterImpl(this, targetColumns.clone());
    }

    @Override
    public io.thermocline.client.api.StagedWriter newStagedWriter(String... targetColumns) {
        return new StagedWriterImpl(this, targetColumns.length == 0 ? null : targetColumns.clone());
    }

    @Override
    public Lookuper newLookuper() {
        return new LookuperImpl(this);
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
