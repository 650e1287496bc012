package io.thermocline.server.tablet;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.NotLeaderException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.internal.record.BatchProjection;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.schema.Schema;
import io.thermocline.server.log.BucketLog;
import io.thermocline.server.log.LogConfig;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * The buckets this server leads. A replica is opened on first use, after checking in ZooKeeper
 * that this server is the bucket's leader; its log lives where {@link DataDirLayout} says and
 * survives restarts. Table schemas are cached per table, so appends accept exactly the table's
 * schema ids.
 */
final class ReplicaManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);
    private final int serverId;
    private final Path dataDir;
    private final ZooKeeperMetadataStore store;
    private final ExecutorService flusher;
    private final LogConfig logConfig;
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

    ReplicaManager(int serverId, Path dataDir, ZooKeeperMetadataStore store, ExecutorService flusher, LogConfig logConfig) {
        this.serverId = serverId;
        this.logConfig = logConfig;
        this.dataDir = dataDir;
        this.store = store;
        this.flusher = flusher;
    }

    /**
     * The replica of a bucket this server leads. Throws {@code TableNotExistException} or
     * {@code PartitionNotExistException} for an unknown table or partition, and
     * {@link NotLeaderException} naming the leader when another server leads the bucket.
     */
    Replica leaderReplica(TableBucket bucket) {
        Replica replica = replicas.get(bucket);
        if (replica != null) {
            return replica;
        }
        TableMeta table = table(bucket.tableId());
        TableRegistration registration = table.registration();
        if (registration.isPartitioned() != bucket.isPartitioned()) {
            throw new InvalidRequestException("Table " + registration.path() + (registration.isPartitioned()
                    ? " is partitioned: name the partition of bucket " + bucket.bucket()
                    : " is not partitioned, yet partition " + bucket.partitionId() + " was named"));
        }
        if (bucket.isPartitioned()) {
            store.partition(bucket.partitionId()).filter(p -> p.tableId() == bucket.tableId())
                    .orElseThrow(() -> new PartitionNotExistException("Table " + registration.path() + " has no partition "
                            + bucket.partitionId()));
        }
        if (bucket.bucket() >= registration.bucketCount()) {
            // Not retriable: no leader change will make the bucket exist.
            throw new InvalidRequestException("Table " + registration.path() + " has no bucket " + bucket.bucket()
                    + " (it has " + registration.bucketCount() + ")");
        }
        LeaderAndIsr leader = store.leaderAndIsr(bucket)
                .map(v -> v.value())
                .orElseThrow(() -> new NotLeaderException(bucket + " has no leader yet"));
        if (leader.leader() != serverId) {
            throw new NotLeaderException(bucket + " is led by server " + leader.leader() + " (epoch "
                    + leader.leaderEpoch() + "), not by server " + serverId);
        }
        return replicas.computeIfAbsent(bucket, b -> {
            Set<Integer> schemaIds = table.schemas().keySet();
            BucketLog log = BucketLog.builder(DataDirLayout.bucketDir(dataDir, b), b)
                    .config(logConfig(registration))
                    .acceptedSchemaIds(schemaIds::contains)
                    .flushExecutor(flusher)
                    .open();
            return new Replica(b, log, leader.leaderEpoch());
        });
    }

    /** The server's log settings with the table's own retention, when it sets one. */
    private LogConfig logConfig(TableRegistration table) {
        Duration ttl = new Configuration(table.options()).get(TableOptions.LOG_TTL);
        return ttl == null ? logConfig : logConfig.withRetentionMs(ttl.toMillis());
    }

    /** Deletes, in every bucket, the segments past retention. */
    void deleteExpiredSegments() {
        for (Replica replica : replicas.values()) {
            try {
                int deleted = replica.log().deleteExpiredSegments();
                if (deleted > 0) {
                    LOG.info("Deleted {} expired segments of {}", deleted, replica.bucket());
                }
            } catch (RuntimeException e) {
                LOG.warn("Retention of {} failed this round", replica.bucket(), e);
            }
        }
    }

    /** Forces the logs whose time-based flush interval has passed. */
    void flushDueLogs() {
        for (Replica replica : replicas.values()) {
            try {
                replica.log().maybeFlush();
            } catch (RuntimeException e) {
                LOG.warn("Flush of {} failed", replica.bucket(), e);
            }
        }
    }

    /** Stops serving buckets; with {@code delete}, removes their logs from disk. */
    void stopReplicas(List<TableBucket> buckets, boolean delete) {
        for (TableBucket bucket : buckets) {
            Replica replica = replicas.remove(bucket);
            if (replica != null) {
                replica.close();
            }
            projections.keySet().removeIf(key -> key.bucket().equals(bucket));
            if (delete) {
                DataDirLayout.deleteBucket(dataDir, bucket);
                // A deleted table's metadata goes once none of its buckets is served here.
                if (replicas.keySet().stream().noneMatch(b -> b.tableId() == bucket.tableId())) {
                    tables.remove(bucket.tableId());
                }
            }
        }
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
