package io.thermocline.server.coordinator;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.exception.DatabaseAlreadyExistsException;
import io.thermocline.common.exception.DatabaseNotExistException;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.LakeException;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.exception.TableAlreadyExistsException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.internal.utils.Clock;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.schema.SchemaJson;
import io.thermocline.common.types.DataField;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.lake.LakeTableLayout;
import io.thermocline.rpc.messages.AlterTableRequest;
import io.thermocline.rpc.messages.AlterTableResponse;
import io.thermocline.rpc.messages.ColumnSpec;
import io.thermocline.rpc.messages.CreateDatabaseRequest;
import io.thermocline.rpc.messages.CreateDatabaseResponse;
import io.thermocline.rpc.messages.CreateTableRequest;
import io.thermocline.rpc.messages.CreateTableResponse;
import io.thermocline.rpc.messages.DropDatabaseRequest;
import io.thermocline.rpc.messages.DropDatabaseResponse;
import io.thermocline.rpc.messages.DropTableRequest;
import io.thermocline.rpc.messages.DropTableResponse;
import io.thermocline.rpc.messages.GetTableRequest;
import io.thermocline.rpc.messages.GetTableResponse;
import io.thermocline.rpc.messages.ListDatabasesRequest;
import io.thermocline.rpc.messages.ListDatabasesResponse;
import io.thermocline.rpc.messages.ListServersRequest;
import io.thermocline.rpc.messages.ListServersResponse;
import io.thermocline.rpc.messages.ListTablesRequest;
import io.thermocline.rpc.messages.ListTablesResponse;
import io.thermocline.rpc.messages.TableInfo;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.server.RequestContext;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.DatabaseRegistration;
import io.thermocline.server.zk.ZkRecords.PartitionRegistration;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The coordinator's DDL of databases and tables: validates requests, places buckets, writes
 * metadata and the first leader of every bucket, and has dropped tables' data deleted. Served
 * only while this coordinator is active.
 */
final class DdlService {
    private static final Logger LOG = LoggerFactory.getLogger(DdlService.class);
    private final ZooKeeperMetadataStore store;
    private final ActiveCoordinator active;
    private final BucketAllocator allocator;
    private final AutoPartitioner autoPartitioner;
    private final TabletServerGateway servers;
    private final LakeCatalog lake;
    private final TieringService tiering;
    private final int defaultBucketCount;
    private final int defaultReplicationFactor;
    private final Clock clock;

    DdlService(ZooKeeperMetadataStore store, ActiveCoordinator active, BucketAllocator allocator,
            AutoPartitioner autoPartitioner, TabletServerGateway servers, LakeCatalog lake, TieringService tiering,
            int defaultBucketCount, int defaultReplicationFactor, Clock clock) {
        this.store = store;
        this.active = active;
        this.allocator = allocator;
        this.autoPartitioner = autoPartitioner;
        this.servers = servers;
        this.lake = lake;
        this.tiering = tiering;
        this.defaultBucketCount = defaultBucketCount;
        this.defaultReplicationFactor = defaultReplicationFactor;
        this.clock = clock;
    }

    void register(RpcService.Builder service) {
        service.register(ApiKeys.CREATE_DATABASE, CreateDatabaseRequest.parser(), (ctx, r) -> active.serve(() -> createDatabase(r)))
                .register(ApiKeys.DROP_DATABASE, DropDatabaseRequest.parser(), (ctx, r) -> active.serve(() -> dropDatabase(r)))
                .register(ApiKeys.LIST_DATABASES, ListDatabasesRequest.parser(), (ctx, r) -> active.serve(() ->
                        ListDatabasesResponse.newBuilder().addAllDatabases(store.listDatabases()).build()))
                .register(ApiKeys.CREATE_TABLE, CreateTableRequest.parser(), (ctx, r) -> active.serve(() -> createTable(r)))
                .register(ApiKeys.DROP_TABLE, DropTableRequest.parser(), (ctx, r) -> active.serve(() -> dropTable(r)))
                .register(ApiKeys.ALTER_TABLE, AlterTableRequest.parser(), (ctx, r) -> active.serve(() -> alterTable(r)))
                .register(ApiKeys.LIST_SERVERS, ListServersRequest.parser(), (ctx, r) -> active.serve(() ->
                        ListServersResponse.newBuilder().addAllServers(BucketLocations.servers(store, ctx.listener())).build()))
                .register(ApiKeys.LIST_TABLES, ListTablesRequest.parser(), (ctx, r) -> active.serve(() ->
                        ListTablesResponse.newBuilder().addAllTables(store.listTables(r.getDatabase())).build()))
                .register(ApiKeys.GET_TABLE, GetTableRequest.parser(), (ctx, r) -> active.serve(() -> getTable(r, ctx)));
    }

    private CreateDatabaseResponse createDatabase(CreateDatabaseRequest request) {
        try {
            store.createDatabase(request.getDatabase(), new DatabaseRegistration(
                    request.getComment().isEmpty() ? null : request.getComment(), request.getPropertiesMap(),
                    clock.milliseconds()));
        } catch (DatabaseAlreadyExistsException e) {
            if (!request.getIgnoreIfExists()) {
                throw e;
            }
        }
        return CreateDatabaseResponse.getDefaultInstance();
    }

    private DropDatabaseResponse dropDatabase(DropDatabaseRequest request) {
        try {
            if (request.getCascade()) {
                for (String table : store.listTables(request.getDatabase())) {
                    dropTable(TablePath.of(request.getDatabase(), table));
                }
            }
            store.dropDatabase(request.getDatabase(), request.getCascade());
        } catch (DatabaseNotExistException e) {
            if (!request.getIgnoreIfNotExists()) {
                throw e;
            }
        }
        return DropDatabaseResponse.getDefaultInstance();
    }

    private CreateTableResponse createTable(CreateTableRequest request) {
        TablePath path = TablePath.of(request.getDatabase(), request.getTable());
        Schema schema = SchemaJson.fromJson(request.getSchemaJson()).withSchemaId(Schema.INITIAL_SCHEMA_ID);
        int buckets = request.getBucketCount() == 0 ? defaultBucketCount : request.getBucketCount();
        if (buckets < 1 || buckets > ServerOptions.MAX_BUCKETS) {
            throw new InvalidRequestException("Table " + path + ": bucket count " + buckets + " is not between 1 and "
                    + ServerOptions.MAX_BUCKETS);
        }
        List<String> partitionKeys = TableLayout.partitionKeys(path, schema, request.getPartitionKeysList());
        List<String> bucketKeys = TableLayout.bucketKeys(path, schema, partitionKeys, request.getBucketKeysList());
        TableLayout.checkOptions(path, schema, partitionKeys, request.getOptionsMap());
        int replicationFactor = request.getReplicationFactor() != 0 ? request.getReplicationFactor()
                : Math.max(1, Math.min(defaultReplicationFactor, allocator.memberServers()));
        if (replicationFactor < 1) {
            throw new InvalidRequestException("Table " + path + ": replication factor " + replicationFactor + " is below 1");
        }
        int minInSync = TableOptions.minInSyncReplicas(new Configuration(request.getOptionsMap()), replicationFactor);
        if (minInSync > replicationFactor) {
            throw new InvalidConfigException("Table " + path + ": " + TableOptions.MIN_INSYNC_REPLICAS.key() + " "
                    + minInSync + " exceeds the replication factor " + replicationFactor + "; no write could succeed");
        }
        var existing = store.table(path);
        if (existing.isPresent()) {
            if (request.getIgnoreIfExists()) {
                return CreateTableResponse.newBuilder().setTableId(existing.get().tableId()).build();
            }
            throw new TableAlreadyExistsException("Table " + path + " already exists");
        }
        boolean lakeEnabled = new Configuration(request.getOptionsMap()).get(TableOptions.DATALAKE_ENABLED);
        if (lakeEnabled) {
            new LakeTableLayout(path, -1, schema, partitionKeys, bucketKeys, buckets).icebergSchema(); // types first
        }
        long tableId = store.nextTableId();
        // Partitions get their buckets when they are created; checking the servers now still fails early.
        BucketAssignment assignment = allocator.assign("Table " + path, buckets, replicationFactor, minInSync, tableId);
        if (lakeEnabled) {
            // Before the hot table exists: a lake that cannot take the table leaves nothing behind.
            lake.createTable(new LakeTableLayout(path, tableId, schema, partitionKeys, bucketKeys, buckets));
        }
        TableRegistration registration = new TableRegistration(tableId, path.database(), path.table(), buckets,
                replicationFactor, bucketKeys, partitionKeys, request.getOptionsMap(),
                request.getComment().isEmpty() ? null : request.getComment(), schema.schemaId(), clock.milliseconds());
        try {
            store.createTable(registration, schema, partitionKeys.isEmpty() ? assignment : null);
        } catch (RuntimeException e) {
            if (lakeEnabled) {
                lake.dropTable(path, tableId);
            }
            if (!(e instanceof TableAlreadyExistsException)) {
                throw e;
            }
            if (request.getIgnoreIfExists()) {
                return CreateTableResponse.newBuilder().setTableId(store.requireTable(path).tableId()).build();
            }
            throw e;
        }
        if (partitionKeys.isEmpty()) {
            allocator.writeFirstLeaders(tableId, TableBucket.NO_PARTITION, assignment, active.epoch());
        } else {
            autoPartitioner.check(registration);
        }
        tiering.tableCreated(registration);
        return CreateTableResponse.newBuilder().setTableId(tableId).build();
    }

    /** Options that may change after CREATE TABLE: the lake's, and free-form properties. */
    private static final Set<String> ALTERABLE = Set.of(TableOptions.DATALAKE_ENABLED.key(),
            TableOptions.DATALAKE_FRESHNESS.key(), TableOptions.DATALAKE_AUTO_MAINTENANCE.key(),
            TableOptions.DATALAKE_SNAPSHOT_RETENTION.key());

    /**
     * Sets and resets options and appends nullable columns (one new schema version). Enabling the
     * lake creates the Iceberg table first (tiering starts from the table's oldest retained rows);
     * disabling it stops tiering and keeps the Iceberg table. Added columns reach the Iceberg table
     * before the new schema is registered, so no batch of the new schema precedes its lake column.
     */
    private AlterTableResponse alterTable(AlterTableRequest request) {
        TablePath path = TablePath.of(request.getDatabase(), request.getTable());
        TableRegistration table = store.requireTable(path);
        Map<String, String> options = new TreeMap<>(table.options());
        Set<String> changed = new java.util.TreeSet<>(request.getSetOptionsMap().keySet());
        changed.addAll(request.getResetOptionsList());
        for (String key : changed) {
            if (key.startsWith("table.") && !ALTERABLE.contains(key)) {
                throw new InvalidConfigException("Table " + path + ": option '" + key + "' is fixed at CREATE TABLE;"
                        + " alterable are " + new java.util.TreeSet<>(ALTERABLE) + " and free-form properties");
            }
        }
        request.getResetOptionsList().forEach(options::remove);
        options.putAll(request.getSetOptionsMap());
        Configuration before = new Configuration(table.options());
        Configuration after = TableOptions.validate(path.toString(), options);
        Schema schema = store.schema(table.tableId(), table.latestSchemaId());
        Schema added = addedColumns(path, schema, request.getAddColumnsList());
        Schema latest = added == null ? schema : added;
        LakeTableLayout layout = new LakeTableLayout(path, table.tableId(), latest, table.partitionKeys(),
                table.bucketKeys(), table.bucketCount());
        boolean enabling = !before.get(TableOptions.DATALAKE_ENABLED) && after.get(TableOptions.DATALAKE_ENABLED);
        if (enabling) {
            lake.createTable(layout);
        } else if (added != null && after.get(TableOptions.DATALAKE_ENABLED)) {
            lake.addMissingColumns(layout);
        }
        TableRegistration updated = new TableRegistration(table.tableId(), table.database(), table.table(),
                table.bucketCount(), table.replicationFactor(), table.bucketKeys(), table.partitionKeys(), Map.copyOf(options),
                table.comment(), latest.schemaId(), table.createdAt());
        store.updateTable(table, updated, added);
        if (enabling) {
            tiering.tableCreated(updated);
        } else if (!after.get(TableOptions.DATALAKE_ENABLED)) {
            tiering.tableDropped(table.tableId());
        } else {
            tiering.optionsChanged(updated);
        }
        return AlterTableResponse.getDefaultInstance();
    }

    /** The next schema with the requested columns appended, or null when none is requested. */
    private static Schema addedColumns(TablePath path, Schema schema, List<ColumnSpec> columns) {
        if (columns.isEmpty()) {
            return null;
        }
        List<DataField> fields = new ArrayList<>();
        for (ColumnSpec column : columns) {
            fields.add(new DataField(column.getName(), SchemaJson.typeFromJson(column.getTypeJson()),
                    column.getComment().isEmpty() ? null : column.getComment()));
        }
        try {
            return schema.addColumns(fields);
        } catch (SchemaException e) {
            throw new SchemaException("Table " + path + ": " + e.getMessage());
        }
    }

    private DropTableResponse dropTable(DropTableRequest request) {
        try {
            dropTable(TablePath.of(request.getDatabase(), request.getTable()));
        } catch (TableNotExistException e) {
            if (!request.getIgnoreIfNotExists()) {
                throw e;
            }
        }
        return DropTableResponse.getDefaultInstance();
    }

    /** Removes the table's metadata, then has every replica of its buckets deleted. */
    private void dropTable(TablePath path) {
        TableRegistration table = store.requireTable(path);
        Map<Integer, List<TableBucket>> replicas = new TreeMap<>();
        if (table.isPartitioned()) {
            for (PartitionRegistration partition : store.partitions(table.tableId())) {
                TabletServerGateway.byServer(store.leadership().assignment(table.tableId(), partition.partitionId()).replicas(),
                        table.tableId(), partition.partitionId())
                        .forEach((server, buckets) -> replicas.computeIfAbsent(server, s -> new ArrayList<>()).addAll(buckets));
            }
        } else {
            replicas.putAll(TabletServerGateway.byServer(
                    store.leadership().assignment(table.tableId(), TableBucket.NO_PARTITION).replicas(), table.tableId(),
                    TableBucket.NO_PARTITION));
        }
        store.dropTable(path);
        allocator.forget(table.tableId(), TableBucket.NO_PARTITION, true);
        tiering.tableDropped(table.tableId());
        servers.deleteReplicas(replicas, active.epoch());
        if (new Configuration(table.options()).get(TableOptions.DATALAKE_ENABLED)) {
            try {
                lake.dropTable(path, table.tableId());
            } catch (LakeException e) {
                LOG.warn("Dropped table {}, but not its Iceberg table: {}", path, e.getMessage());
            }
        }
    }

    private GetTableResponse getTable(GetTableRequest request, RequestContext ctx) {
        TablePath path = TablePath.of(request.getDatabase(), request.getTable());
        TableRegistration table = store.requireTable(path);
        Schema schema = store.schema(table.tableId(), table.latestSchemaId());
        TableInfo.Builder info = TableInfo.newBuilder()
                .setTableId(table.tableId())
                .setDatabase(table.database())
                .setTable(table.table())
                .setSchemaJson(SchemaJson.toJson(schema))
                .addAllOlderSchemaJson(store.schemas(table.tableId()).stream()
                        .filter(older -> older.schemaId() != schema.schemaId()).map(SchemaJson::toJson).toList())
                .setBucketCount(table.bucketCount())
                .addAllBucketKeys(table.bucketKeys())
                .addAllPartitionKeys(table.partitionKeys())
                .putAllOptions(table.options())
                .setComment(table.comment() == null ? "" : table.comment())
                .setCreatedAt(table.createdAt());
        if (!table.isPartitioned()) {
            info.addAllBuckets(BucketLocations.of(store, table.tableId(), TableBucket.NO_PARTITION, table.bucketCount()));
        }
        GetTableResponse.Builder response = GetTableResponse.newBuilder().setTable(info)
                .addAllServers(BucketLocations.servers(store, ctx.listener()));
        return response.build();
    }
}
