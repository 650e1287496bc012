package io.thermocline.server.tablet;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.NotLeaderException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.exception.StaleCoordinatorEpochException;
import io.thermocline.common.internal.record.SchemaProjection;
import io.thermocline.common.internal.utils.Clock;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.schema.Schema;
import io.thermocline.lake.TieredOffsets;
import io.thermocline.server.kv.KvBatches;
import io.thermocline.server.kv.KvSchemas;
import io.thermocline.server.kv.KvSnapshotStorage;
import io.thermocline.server.kv.KvSnapshots;
import io.thermocline.server.kv.KvTablet;
import io.thermocline.server.log.BucketLog;
import io.thermocline.server.log.LogConfig;
import io.thermocline.server.log.RetentionGuard;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * The replicas this server holds, as the coordinator assigns them: it announces each bucket's
 * leader, epoch and ISR ({@link #applyLeadership}); this server then leads the bucket, or follows
 * it (truncating a divergent tail, then fetching through the {@link ReplicaFetchers}). A
 * replica's log lives where {@link DataDirLayout} says and survives restarts. Table schemas are
 * cached per table, so appends accept exactly the table's schema ids.
 */
final class ReplicaManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);

    private final int serverId;
    private final Path dataDir;
    private final ZooKeeperMetadataStore store;
    /** End offset tiered to the lake per bucket of lake-enabled tables, as last read from ZooKeeper. */
    private final Map<TableBucket, Long> tieredOffsets = new ConcurrentHashMap<>();
    private final ExecutorService flusher;
    private final LogConfig logConfig;
    private final Clock clock;
    private final Replica.IsrChanges isrChanges;
    private final ReplicaFetchers fetchers;
    /** Null: the cluster keeps no KV snapshots. */
    private final KvSnapshotStorage snapshotStorage;
    private final Map<TableBucket, Replica> replicas = new ConcurrentHashMap<>();
    private final Map<Long, TableMeta> tables = new ConcurrentHashMap<>();
    /** Projections are immutable and cost an Arrow schema walk to build: one per bucket and column list. */
    private final Map<ProjectionKey, SchemaProjection> projections = new ConcurrentHashMap<>();
    private int highestCoordinatorEpoch = -1;
    /** Set at close: a late announcement must not reopen replicas of a stopped server. */
    private volatile boolean closed;
    /** Arrow memory of the KV write paths (decoding upserts, encoding changelogs). */
    private final BufferAllocator allocator = new RootAllocator();

    private record ProjectionKey(TableBucket bucket, List<Integer> columns) {}

    ReplicaManager(int serverId, Path dataDir, ZooKeeperMetadataStore store, ExecutorService flusher, LogConfig logConfig,
            Clock clock, Replica.IsrChanges isrChanges, ReplicaFetchers fetchers, KvSnapshotStorage snapshotStorage) {
        this.serverId = serverId;
        this.snapshotStorage = snapshotStorage;
        this.dataDir = dataDir;
        this.store = store;
        this.flusher = flusher;
        this.logConfig = logConfig;
        this.clock = clock;
        this.isrChanges = isrChanges;
        this.fetchers = fetchers;
    }

    // ------------------------------------------------------------------ coordinator commands

    /** Refuses commands of a coordinator older than one already heard from: it was replaced. */
    synchronized void checkCoordinatorEpoch(int epoch) {
        if (epoch < highestCoordinatorEpoch) {
            throw new StaleCoordinatorEpochException("Coordinator epoch " + epoch + " is stale: epoch "
                    + highestCoordinatorEpoch + " is active");
        }
        highestCoordinatorEpoch = epoch;
    }

    /**
     * Leads or follows a bucket as the coordinator says, opening its replica if needed. A stale
     * announcement (older leader epoch) changes nothing.
     */
    void applyLeadership(TableBucket bucket, Replica.Leadership leadership) {
        if (!leadership.replicas().contains(serverId)) {
            throw new InvalidRequestException(bucket + " has replicas " + leadership.replicas() + ", not server " + serverId);
        }
        if (closed) {
            throw new IllegalStateException("Tablet server " + serverId + " is stopping");
        }
        Replica replica = replicas.computeIfAbsent(bucket, this::openReplica);
        if (!replica.applyLeadership(leadership, clock.milliseconds())) {
            return;
        }
        if (leadership.leader() == serverId || leadership.leader() < 0) {
            fetchers.remove(bucket);
        } else {
            fetchers.follow(replica, leadership.leader(), leadership.leaderEpoch());
        }
    }

    private Replica openReplica(TableBucket bucket) {
        TableMeta table = table(bucket.tableId());
        TableRegistration registration = table.registration();
        Schema schema = table.latest();
        Path dir = DataDirLayout.bucketDir(dataDir, bucket);
        BucketLog log = BucketLog.builder(dir, bucket)
                .config(logConfig(registration))
                .acceptedSchemaIds(table::hasSchema)
                .flushExecutor(flusher)
                .clock(clock)
                // A primary-key table's KV state is rebuilt from its changelog: keep all of it (until
                // KV snapshots let retention go as far as the oldest snapshot).
                .retentionGuard(retentionGuard(schema, bucket, registration))
                .open();
        int minIsr = TableOptions.minInSyncReplicas(new Configuration(registration.options()),
                Math.max(1, registration.replicationFactor()));
        Replica.KvResources kv = null;
        if (schema.hasPrimaryKey()) {
            KvSchemas schemas = new KvSchemas(schema, table, table::merger);
            KvSnapshots snapshots = snapshots(bucket);
            kv = new Replica.KvResources() {
                @Override
                public KvTablet openTablet(long logEnd) {
                    return KvTablet.openOrRestore(dir.resolve("kv"), bucket, schemas, snapshots, logEnd);
                }

                @Override
                public void logTruncatedTo(long offset) {
                    KvTablet.markTruncated(dir.resolve("kv"), offset);
                }

                @Override
                public KvBatches openBatches() {
                    return new KvBatches(bucket, schemas, allocator);
                }

                @Override
                public KvSnapshots snapshots() {
                    return snapshots;
                }
            };
        }
        return new Replica(bucket, log, serverId, minIsr, isrChanges, kv);
    }

    private KvSnapshots snapshots(TableBucket bucket) {
        return snapshotStorage == null ? null : snapshotStorage.forBucket(bucket);
    }

    /**
     * A primary-key table's KV state is rebuilt from its latest snapshot and the changelog after
     * it: retention keeps the changelog from the oldest snapshot kept (all of it without snapshots).
     */
    private RetentionGuard retentionGuard(Schema schema, TableBucket bucket, TableRegistration table) {
        RetentionGuard kv = RetentionGuard.NONE;
        if (schema.hasPrimaryKey()) {
            KvSnapshots snapshots = snapshots(bucket);
            kv = snapshots == null ? () -> 0L : snapshots::oldestOffset;
        }
        if (!new Configuration(table.options()).get(TableOptions.DATALAKE_ENABLED)) {
            return kv;
        }
        // A lake-enabled table also keeps what is not tiered yet (all of it until the first round).
        RetentionGuard keptForKv = kv;
        return () -> Math.min(keptForKv.deletableBefore(), tieredOffsets.getOrDefault(bucket, 0L));
    }

    /** How far each bucket of a lake-enabled table is tiered, read again from ZooKeeper (metrics). */
    Map<TableBucket, Long> tieredOffsetsNow() {
        refreshTieredOffsets();
        return Map.copyOf(tieredOffsets);
    }

    /** Reads from ZooKeeper how far each lake-enabled table this server holds is tiered. */
    private void refreshTieredOffsets() {
        Set<Long> lakeTables = new HashSet<>();
        for (Replica replica : replicas.values()) {
            long tableId = replica.bucket().tableId();
            if (!lakeTables.contains(tableId)) {
                TableRegistration table = store.table(tableId).orElse(null);
                if (table != null && new Configuration(table.options()).get(TableOptions.DATALAKE_ENABLED)) {
                    lakeTables.add(tableId);
                }
            }
        }
        for (long tableId : lakeTables) {
            store.lakeSnapshot(tableId).ifPresent(snapshot -> snapshot.endOffsets().forEach((key, offset) ->
                    tieredOffsets.put(TieredOffsets.parseBucketKey(tableId, key), offset)));
        }
    }

    /** Applies to RocksDB what write stalls held back, in every bucket. */
    void retryKvApplies() {
        for (Replica replica : replicas.values()) {
            try {
                replica.retryKvApply(clock.milliseconds());
            } catch (RuntimeException e) {
                LOG.warn("Applying KV changes of {} failed", replica.bucket(), e);
            }
        }
    }

    /** Snapshots the KV tablets of the primary-key buckets this server leads. */
    void snapshotKvs() {
        Path scratchRoot = dataDir.resolve(".kv-checkpoints");
        try {
            java.nio.file.Files.createDirectories(scratchRoot); // RocksDB creates the checkpoint, not its parent
        } catch (java.io.IOException e) {
            LOG.warn("Cannot create {}; no KV snapshots this round", scratchRoot, e);
            return;
        }
        for (Replica replica : replicas.values()) {
            Path scratch = scratchRoot.resolve(java.util.UUID.randomUUID().toString());
            try {
                long offset = replica.snapshotKv(scratch);
                if (offset >= 0) {
                    LOG.info("{}: KV snapshot at offset {}", replica.bucket(), offset);
                }
            } catch (RuntimeException e) {
                LOG.warn("KV snapshot of {} failed this round", replica.bucket(), e);
            } finally {
                DataDirLayout.deleteTree(scratch);
            }
        }
    }

    /** Stops serving buckets; with {@code delete}, removes their logs from disk. */
    void stopReplicas(List<TableBucket> buckets, boolean delete) {
        for (TableBucket bucket : buckets) {
            fetchers.remove(bucket);
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

    // ------------------------------------------------------------------ lookups for requests

    /**
     * The replica of a bucket this server leads. Throws {@code TableNotExistException} or
     * {@code PartitionNotExistException} for an unknown table or partition, InvalidRequest for a
     * bucket the table does not have, and {@link NotLeaderException} naming the leader otherwise.
     */
    Replica leaderReplica(TableBucket bucket) {
        Replica replica = replica(bucket);
        replica.requireLeader();
        return replica;
    }

    /** This server's replica of a bucket, whatever its role; errors as {@link #leaderReplica}. */
    Replica replica(TableBucket bucket) {
        Replica replica = replicas.get(bucket);
        if (replica != null) {
            return replica;
        }
        TableRegistration registration = table(bucket.tableId()).registration();
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
        String leader = store.leadership().leaderAndIsr(bucket).map(l -> "server " + l.value().leader() + " (epoch "
                + l.value().leaderEpoch() + ")").orElse("no server yet");
        throw new NotLeaderException(bucket + " is led by " + leader + "; server " + serverId + " does not serve it");
    }

    TableMeta table(long tableId) {
        return tables.computeIfAbsent(tableId, id -> new TableMeta(id, store));
    }

    /**
     * The projection of a table to some columns of its schema, for batches of every schema, or
     * null for all columns. Columns a newer schema added than the server knows make it look again.
     */
    SchemaProjection projection(long tableId, List<Integer> columns, TableBucket bucket) {
        if (columns.isEmpty()) {
            return null;
        }
        return projections.computeIfAbsent(new ProjectionKey(bucket, List.copyOf(columns)), key -> {
            TableMeta table = table(tableId);
            int[] wanted = key.columns().stream().mapToInt(Integer::intValue).toArray();
            return new SchemaProjection(table, table.latest(Arrays.stream(wanted).max().orElse(0) + 1), wanted, bucket);
        });
    }

    List<Replica> replicas() {
        return new ArrayList<>(replicas.values());
    }

    /** Every replica stops acting as leader until the coordinator's next word on it. */
    void fenceAll(String reason) {
        replicas.values().forEach(replica -> replica.fence(reason));
    }

    void unfenceAll() {
        replicas.values().forEach(Replica::unfence);
    }

    /** Buckets this server leads now. */
    List<Replica> leaders() {
        return replicas.values().stream().filter(r -> r.role() == Replica.Role.LEADER).collect(Collectors.toList());
    }

    // ------------------------------------------------------------------ maintenance

    /** The server's log settings with the table's own retention, when it sets one. */
    private LogConfig logConfig(TableRegistration table) {
        Duration ttl = new Configuration(table.options()).get(TableOptions.LOG_TTL);
        return ttl == null ? logConfig : logConfig.withRetentionMs(ttl.toMillis());
    }

    /** Proposes to drop followers that lag longer than {@code maxLag} from the ISRs this server leads. */
    void shrinkLaggingIsrs(Duration maxLag) {
        long now = clock.milliseconds();
        for (Replica replica : replicas.values()) {
            replica.maybeShrinkIsr(now, maxLag.toMillis());
        }
    }

    /** Deletes, in every bucket, the segments past retention. */
    void deleteExpiredSegments() {
        try {
            refreshTieredOffsets();
        } catch (RuntimeException e) {
            LOG.warn("Cannot read tiered offsets; lake-enabled tables keep what they last knew to be untiered", e);
        }
        for (Replica replica : replicas.values()) {
            try {
                int expired = replica.log().expireIdleWriters();
                if (expired > 0) {
                    LOG.info("{}: forgot {} idle writers", replica.bucket(), expired);
                }
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

    @Override
    public void close() {
        closed = true;
        fetchers.close();
        for (Replica replica : replicas.values()) {
            try {
                replica.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the replica of {} failed", replica.bucket(), e);
            }
        }
        replicas.clear();
        allocator.close();
    }
}
