package io.thermocline.server.coordinator;

import io.thermocline.common.exception.DatabaseAlreadyExistsException;
import io.thermocline.common.exception.DatabaseNotExistException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.NotCoordinatorException;
import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.exception.TableAlreadyExistsException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.internal.utils.Clock;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.schema.SchemaJson;
import io.thermocline.rpc.messages.BucketLocation;
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
import io.thermocline.rpc.messages.ListTablesRequest;
import io.thermocline.rpc.messages.ListTablesResponse;
import io.thermocline.rpc.messages.ServerNode;
import io.thermocline.rpc.messages.TableInfo;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.server.RequestContext;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.zk.CoordinatorElection;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.DatabaseRegistration;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZkRecords.TabletServerRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The coordinator's DDL: validates requests, places buckets, writes metadata and the first
 * leader of every bucket. Served only while this coordinator is active; a standby answers with a
 * retriable {@link NotCoordinatorException} naming the active one.
 */
final class DdlService {
    private final ZooKeeperMetadataStore store;
    /** Set once the server is bound; null means not elected yet. */
    private final Supplier<CoordinatorElection> election;
    private final int defaultBucketCount;
    private final int defaultReplicationFactor;
    private final Clock clock;

    DdlService(ZooKeeperMetadataStore store, Supplier<CoordinatorElection> election, int defaultBucketCount,
            int defaultReplicationFactor, Clock clock) {
        this.store = store;
        this.election = election;
        this.defaultBucketCount = defaultBucketCount;
        this.defaultReplicationFactor = defaultReplicationFactor;
        this.clock = clock;
    }

    void register(RpcService.Builder service) {
        service.register(ApiKeys.CREATE_DATABASE, CreateDatabaseRequest.parser(), (ctx, r) -> serve(() -> createDatabase(r)))
                .register(ApiKeys.DROP_DATABASE, DropDatabaseRequest.parser(), (ctx, r) -> serve(() -> dropDatabase(r)))
                .register(ApiKeys.LIST_DATABASES, ListDatabasesRequest.parser(), (ctx, r) -> serve(() ->
                        ListDatabasesResponse.newBuilder().addAllDatabases(store.listDatabases()).build()))
                .register(ApiKeys.CREATE_TABLE, CreateTableRequest.parser(), (ctx, r) -> serve(() -> createTable(r)))
                .register(ApiKeys.DROP_TABLE, DropTableRequest.parser(), (ctx, r) -> serve(() -> dropTable(r)))
                .register(ApiKeys.LIST_TABLES, ListTablesRequest.parser(), (ctx, r) -> serve(() ->
                        ListTablesResponse.newBuilder().addAllTables(store.listTables(r.getDatabase())).build()))
                .register(ApiKeys.GET_TABLE, GetTableRequest.parser(), (ctx, r) -> serve(() -> getTable(r)));
    }

    private <R> CompletableFuture<R> serve(Supplier<R> action) {
        CoordinatorElection current = election.get();
        if (current == null || !current.isActive()) {
            String active = CoordinatorElection.active(store)
                    .map(c -> "the active coordinator is " + c.id() + " at " + c.host() + ":" + c.port())
                    .orElse("no coordinator is active yet");
            return CompletableFuture.failedFuture(new NotCoordinatorException("This coordinator is a standby; " + active));
        }
        return CompletableFuture.completedFuture(action.get());
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
        List<String> bucketKeys = bucketKeys(path, schema, request.getBucketKeysList());
        if (request.getPartitionKeysCount() > 0) {
            throw new InvalidRequestException("Table " + path + ": partitioned tables are not supported by this"
                    + " version yet (partition keys " + request.getPartitionKeysList() + ")");
        }
        int replicationFactor = request.getReplicationFactor() == 0 ? defaultReplicationFactor : request.getReplicationFactor();
        if (replicationFactor < 1) {
            throw new InvalidRequestException("Table " + path + ": replication factor " + replicationFactor + " is below 1");
        }
        var existing = store.table(path);
        if (existing.isPresent()) {
            if (request.getIgnoreIfExists()) {
                return CreateTableResponse.newBuilder().setTableId(existing.get().tableId()).build();
            }
            throw new TableAlreadyExistsException("Table " + path + " already exists");
        }
        long tableId = store.nextTableId();
        List<Integer> servers = new ArrayList<>(store.tabletServers().keySet());
        Map<Integer, List<Integer>> replicas =
                BucketPlacement.assign(buckets, replicationFactor, servers, (int) (tableId % Math.max(1, servers.size())));
        TableRegistration registration = new TableRegistration(tableId, path.database(), path.table(), buckets,
                bucketKeys, List.of(), request.getOptionsMap(), request.getComment().isEmpty() ? null : request.getComment(),
                schema.schemaId(), clock.milliseconds());
        try {
            store.createTable(registration, schema, new BucketAssignment(replicas));
        } catch (TableAlreadyExistsException e) {
            if (request.getIgnoreIfExists()) {
                return CreateTableResponse.newBuilder().setTableId(store.requireTable(path).tableId()).build();
            }
            throw e;
        }
        int epoch = election.get().epoch();
        replicas.forEach((bucket, set) -> store.compareAndSetLeaderAndIsr(
                tableId, bucket, new LeaderAndIsr(set.get(0), 0, set, epoch), -1));
        return CreateTableResponse.newBuilder().setTableId(tableId).build();
    }

    /** Primary-key tables bucket by their key by default, and only by key columns. */
    private static List<String> bucketKeys(TablePath path, Schema schema, List<String> requested) {
        for (String key : requested) {
            if (schema.column(key).isEmpty()) {
                throw new SchemaException("Table " + path + ": bucket key `" + key + "` is not a column: "
                        + schema.columnNames());
            }
            if (schema.hasPrimaryKey() && !schema.primaryKey().contains(key)) {
                throw new SchemaException("Table " + path + ": bucket key `" + key + "` must be part of the primary key "
                        + schema.primaryKey());
            }
        }
        return requested.isEmpty() && schema.hasPrimaryKey() ? schema.primaryKey() : List.copyOf(requested);
    }

    private DropTableResponse dropTable(DropTableRequest request) {
        try {
            store.dropTable(TablePath.of(request.getDatabase(), request.getTable()));
        } catch (TableNotExistException e) {
            if (!request.getIgnoreIfNotExists()) {
                throw e;
            }
        }
        return DropTableResponse.getDefaultInstance();
    }

    private GetTableResponse getTable(GetTableRequest request) {
        TablePath path = TablePath.of(request.getDatabase(), request.getTable());
        TableRegistration table = store.requireTable(path);
        Schema schema = store.schema(table.tableId(), table.latestSchemaId());
        TableInfo.Builder info = TableInfo.newBuilder()
                .setTableId(table.tableId())
                .setDatabase(table.database())
                .setTable(table.table())
                .setSchemaJson(SchemaJson.toJson(schema))
                .setBucketCount(table.bucketCount())
                .addAllBucketKeys(table.bucketKeys())
                .addAllPartitionKeys(table.partitionKeys())
                .putAllOptions(table.options())
                .setComment(table.comment() == null ? "" : table.comment())
                .setCreatedAt(table.createdAt());
        BucketAssignment assignment = store.assignment(table.tableId());
        for (int bucket = 0; bucket < table.bucketCount(); bucket++) {
            BucketLocation.Builder location = BucketLocation.newBuilder().setBucket(bucket)
                    .addAllReplicas(assignment.replicas().get(bucket));
            int b = bucket;
            store.leaderAndIsr(table.tableId(), bucket).ifPresentOrElse(
                    leader -> location.setLeader(leader.value().leader())
                            .setLeaderEpoch(leader.value().leaderEpoch())
                            .addAllIsr(leader.value().isr()),
                    () -> location.setLeader(-1).setLeaderEpoch(-1));
            info.addBuckets(location.build());
        }
        GetTableResponse.Builder response = GetTableResponse.newBuilder().setTable(info);
        for (TabletServerRegistration server : store.tabletServers().values()) {
            response.addServers(ServerNode.newBuilder().setId(server.id()).setHost(server.host()).setPort(server.port())
                    .setRack(server.rack() == null ? "" : server.rack()));
        }
        return response.build();
    }
}
