package io.thermocline.server.tablet;

import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.NotLeaderException;
import io.thermocline.common.internal.record.BatchProjection;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.schema.Schema;
import io.thermocline.server.log.BucketLog;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * The buckets this server leads. A replica is opened on first use, after checking in ZooKeeper
 * that this server is the bucket's leader; its log lives in
 * {@code <data dir>/table-<id>/bucket-<n>} and survives restarts. Table schemas are cached per
 * table, so appends accept exactly the table's schema ids.
 */
final class ReplicaManager implements AutoCloseable {
    private final int serverId;
    private final Path dataDir;
    private final ZooKeeperMetadataStore store;
    private final ExecutorService flusher;
    private final Map<TableBucket, Replica> replicas = new ConcurrentHashMap<>();
    private final Map<Long, TableMeta> tables = new ConcurrentHashMap<>();
    /** Projections are immutable and cost an Arrow schema walk to build: one per bucket and column list. */
    private final Map<ProjectionKey, BatchProjection> projections = new ConcurrentHashMap<>();

    private record ProjectionKey(TableBucket bucket, List<Integer> columns) {}

    /** What a replica needs to know of its table. */
    record TableMeta(TableRegistration registration, Map<Integer, Schema> schemas) {
        Schema latest() {
            return schemas.get(registration.latestSchemaId());
        }
    }

    ReplicaManager(int serverId, Path dataDir, ZooKeeperMetadataStore store, ExecutorService flusher) {
        this.serverId = serverId;
        this.dataDir = dataDir;
        this.store = store;
        this.flusher = flusher;
    }

    /**
     * The replica of a bucket this server leads. Throws {@code TableNotExistException} for an
     * unknown table, {@link NotLeaderException} naming the leader when another server leads it.
     */
    Replica leaderReplica(long tableId, int bucketNumber) {
        TableBucket bucket = new TableBucket(tableId, bucketNumber);
        Replica replica = replicas.get(bucket);
        if (replica != null) {
            return replica;
        }
        TableMeta table = table(tableId);
        if (bucketNumber < 0 || bucketNumber >= table.registration().bucketCount()) {
            // Not retriable: no leader change will make the bucket exist.
            throw new InvalidRequestException("Table " + table.registration().database() + "."
                    + table.registration().table() + " has no bucket " + bucketNumber + " (it has "
                    + table.registration().bucketCount() + ")");
        }
        LeaderAndIsr leader = store.leaderAndIsr(tableId, bucketNumber)
                .map(v -> v.value())
                .orElseThrow(() -> new NotLeaderException(bucket + " has no leader yet"));
        if (leader.leader() != serverId) {
            throw new NotLeaderException(bucket + " is led by server " + leader.leader() + " (epoch "
                    + leader.leaderEpoch() + "), not by server " + serverId);
        }
        return replicas.computeIfAbsent(bucket, b -> {
            Set<Integer> schemaIds = table.schemas().keySet();
            BucketLog log = BucketLog.builder(dataDir.resolve("table-" + tableId).resolve("bucket-" + bucketNumber), b)
                    .acceptedSchemaIds(schemaIds::contains)
                    .flushExecutor(flusher)
                    .open();
            return new Replica(b, log, leader.leaderEpoch());
        });
    }

    TableMeta table(long tableId) {
        return tables.computeIfAbsent(tableId, id -> {
            TableRegistration registration = store.requireTable(id);
            Map<Integer, Schema> schemas = store.schemas(id).stream()
                    .collect(Collectors.toMap(Schema::schemaId, s -> s));
            return new TableMeta(registration, schemas);
        });
    }

    /** The projection of a table's latest schema to some columns, or null for all columns. */
    BatchProjection projection(long tableId, List<Integer> columns, TableBucket bucket) {
        if (columns.isEmpty()) {
            return null;
        }
        return projections.computeIfAbsent(new ProjectionKey(bucket, List.copyOf(columns)), key ->
                new BatchProjection(table(tableId).latest().rowType(),
                        key.columns().stream().mapToInt(Integer::intValue).toArray(), bucket));
    }

    List<Replica> replicas() {
        return new ArrayList<>(replicas.values());
    }

    @Override
    public void close() {
        replicas.values().forEach(Replica::close);
        replicas.clear();
    }
}
