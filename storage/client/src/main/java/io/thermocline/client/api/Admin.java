package io.thermocline.client.api;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.security.AclBinding;
import io.thermocline.common.types.DataField;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * DDL and table metadata, served by the active coordinator. Thread-safe. Every operation is
 * asynchronous; retriable errors (coordinator failover, lost connections) are retried until
 * {@link ClientOptions#ADMIN_TIMEOUT}. Futures fail with the API exceptions of
 * {@code io.thermocline.common.exception}, which name the database or table: for instance
 * {@code DatabaseAlreadyExistsException}, {@code TableNotExistException}, {@code SchemaException}
 * or {@code InvalidRequestException}. Those are not retried: fix the request.
 */
public interface Admin {

    CompletableFuture<Void> createDatabase(String database, String comment, boolean ignoreIfExists);

    /** With {@code cascade}, drops the database's tables too; without, it must be empty. */
    CompletableFuture<Void> dropDatabase(String database, boolean ignoreIfNotExists, boolean cascade);

    CompletableFuture<List<String>> listDatabases();

    /** The live tablet servers, by id. */
    CompletableFuture<List<ServerInfo>> listServers();

    /**
     * Moves leaderships back to each bucket's preferred replica (the first of its replicas) where
     * that replica is live and in sync; completes with how many moved. The coordinator also does
     * this by itself every {@code coordinator.leader-rebalance.interval}.
     */
    CompletableFuture<Integer> electPreferredLeaders();

    /**
     * Starts moving a bucket's replicas to {@code replicas} (live tablet servers; the first is
     * preferred to lead): the new replicas join and catch up while writers go on, then one of them
     * leads and the replicas left out are deleted. Completes once the move is under way;
     * {@link #getTable} shows all replicas while it runs and {@code replicas} once it is done.
     *
     * @param partition the partition's name ({@code day=2026-12-07}), or null for a table that
     *     is not partitioned
     */
    CompletableFuture<Void> reassignReplicas(TablePath path, String partition, int bucket, List<Integer> replicas);

    /**
     * Starts moving every replica off a tablet server (each to the live server holding fewest) and
     * makes it no member of the cluster, so that no new bucket is placed on it; completes with how
     * many buckets move. Once none lists it among its replicas, it may be stopped for good.
     */
    CompletableFuture<Integer> drainServer(int serverId);

    /**
     * Creates a user of the cluster's SASL listeners, or sets a new password. Only the SCRAM-SHA-256
     * credential derived here (salted, hashed) is sent and stored, never the password.
     */
    CompletableFuture<Void> createOrUpdateUser(String user, String password);

    /**
     * Drops a user; completes with whether it existed. Its open connections are closed within the
     * servers' {@code security.sasl.credential-check-interval}.
     */
    CompletableFuture<Boolean> dropUser(String user);

    CompletableFuture<List<String>> listUsers();

    /** Adds access control entries (each once); servers apply them within moments. */
    CompletableFuture<Void> createAcls(List<AclBinding> acls);

    /** Deletes the entries equal to these; completes with how many existed. */
    CompletableFuture<Integer> deleteAcls(List<AclBinding> acls);

    CompletableFuture<List<AclBinding>> listAcls();

    /** Creates a table; completes with its id. */
    CompletableFuture<Long> createTable(TablePath path, TableDescriptor descriptor, boolean ignoreIfExists);

    CompletableFuture<Void> dropTable(TablePath path, boolean ignoreIfNotExists);

    CompletableFuture<List<String>> listTables(String database);

    /** The table with its latest schema and where each bucket's leader is. */
    CompletableFuture<TableInfo> getTable(TablePath path);

    /**
     * Creates a partition from one value per partition column (as text, e.g. {@code 2026-11-23}
     * for a DATE); completes with its id. Fails with {@code PartitionAlreadyExistsException},
     * {@code TooManyPartitionsException}, or {@code InvalidRequestException} naming a missing,
     * unknown or ill-typed column.
     */
    CompletableFuture<Long> createPartition(TablePath path, Map<String, String> spec, boolean ignoreIfExists);

    /** Drops a partition and deletes its data. */
    CompletableFuture<Void> dropPartition(TablePath path, Map<String, String> spec, boolean ignoreIfNotExists);

    /** The table's partitions, by name. */
    CompletableFuture<List<PartitionInfo>> listPartitions(TablePath path);

    /**
     * Changes a table's options: {@code set} are set, {@code reset} return to their defaults. Only
     * the {@code table.datalake.*} options and free-form properties may change; enabling the lake
     * creates the table's Iceberg table.
     */
    default CompletableFuture<Void> alterTable(TablePath path, Map<String, String> set, java.util.Set<String> reset) {
        return alterTable(path, set, reset, List.of());
    }

    /**
     * Appends nullable columns to a table, as one new schema version (and to its Iceberg table when
     * the lake is enabled). Rows written before read null in them; writers and scanners created
     * before keep their schema. A NOT NULL type, an existing name or a type the lake cannot hold is
     * a {@code SchemaException} or {@code LakeException} naming the column, and changes nothing.
     */
    default CompletableFuture<Void> addColumns(TablePath path, List<DataField> columns) {
        return alterTable(path, Map.of(), java.util.Set.of(), columns);
    }

    /** Both kinds of change at once: all apply, or none when one is refused. */
    CompletableFuture<Void> alterTable(TablePath path, Map<String, String> set, java.util.Set<String> reset,
            List<DataField> addColumns);

    /** The newest lake snapshot of a lake-enabled table, empty before its first tiering round commits. */
    CompletableFuture<java.util.Optional<LakeSnapshot>> getLakeSnapshot(TablePath path);

    /**
     * The lake catalog the cluster tiers into, as the {@code lake.*} options that read {@code
     * table}'s lake rows (for example {@code lake.catalog.type}, {@code lake.catalog.warehouse});
     * empty without a lake, or when the cluster withholds them
     * ({@code coordinator.lake.share-catalog-options}). Needs READ on the table: fails with an
     * {@code AuthorizationException} otherwise, which is how readers of a table's lake rows are
     * checked.
     */
    CompletableFuture<Map<String, String>> getLakeCatalogOptions(TablePath table);

    /** Offsets of buckets of a table without partitions, by bucket, asked of their leaders. */
    CompletableFuture<Map<Integer, Long>> listOffsets(TablePath path, List<Integer> buckets, OffsetSpec spec);

    /** Offsets of buckets of one partition, by bucket. */
    CompletableFuture<Map<Integer, Long>> listOffsets(TablePath path, long partitionId, List<Integer> buckets,
            OffsetSpec spec);
}
