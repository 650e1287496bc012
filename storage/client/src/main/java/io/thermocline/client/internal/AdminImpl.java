package io.thermocline.client.internal;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.PartitionInfo;
import io.thermocline.client.api.ServerInfo;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.NotLeaderException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.SchemaJson;
import io.thermocline.common.security.AclBinding;
import io.thermocline.common.types.DataField;
import io.thermocline.rpc.messages.AlterTableRequest;
import io.thermocline.rpc.messages.AlterTableResponse;
import io.thermocline.rpc.messages.AlterUserRequest;
import io.thermocline.rpc.messages.AlterUserResponse;
import io.thermocline.rpc.messages.BucketLocation;
import io.thermocline.rpc.messages.ColumnSpec;
import io.thermocline.rpc.messages.CreateAclsRequest;
import io.thermocline.rpc.messages.CreateAclsResponse;
import io.thermocline.rpc.messages.CreateDatabaseRequest;
import io.thermocline.rpc.messages.CreateDatabaseResponse;
import io.thermocline.rpc.messages.CreatePartitionRequest;
import io.thermocline.rpc.messages.CreatePartitionResponse;
import io.thermocline.rpc.messages.CreateTableRequest;
import io.thermocline.rpc.messages.CreateTableResponse;
import io.thermocline.rpc.messages.DeleteAclsRequest;
import io.thermocline.rpc.messages.DeleteAclsResponse;
import io.thermocline.rpc.messages.DrainServerRequest;
import io.thermocline.rpc.messages.DrainServerResponse;
import io.thermocline.rpc.messages.DropDatabaseRequest;
import io.thermocline.rpc.messages.DropDatabaseResponse;
import io.thermocline.rpc.messages.DropPartitionRequest;
import io.thermocline.rpc.messages.DropPartitionResponse;
import io.thermocline.rpc.messages.DropTableRequest;
import io.thermocline.rpc.messages.DropTableResponse;
import io.thermocline.rpc.messages.DropUserRequest;
import io.thermocline.rpc.messages.DropUserResponse;
import io.thermocline.rpc.messages.ElectLeadersRequest;
import io.thermocline.rpc.messages.ElectLeadersResponse;
import io.thermocline.rpc.messages.GetLakeCatalogRequest;
import io.thermocline.rpc.messages.GetLakeCatalogResponse;
import io.thermocline.rpc.messages.GetLakeSnapshotRequest;
import io.thermocline.rpc.messages.GetLakeSnapshotResponse;
import io.thermocline.rpc.messages.GetTableRequest;
import io.thermocline.rpc.messages.GetTableResponse;
import io.thermocline.rpc.messages.InitWriterRequest;
import io.thermocline.rpc.messages.InitWriterResponse;
import io.thermocline.rpc.messages.ListAclsRequest;
import io.thermocline.rpc.messages.ListAclsResponse;
import io.thermocline.rpc.messages.ListDatabasesRequest;
import io.thermocline.rpc.messages.ListDatabasesResponse;
import io.thermocline.rpc.messages.ListOffsetsRequest;
import io.thermocline.rpc.messages.ListOffsetsResponse;
import io.thermocline.rpc.messages.ListOffsetsResult;
import io.thermocline.rpc.messages.ListPartitionsRequest;
import io.thermocline.rpc.messages.ListPartitionsResponse;
import io.thermocline.rpc.messages.ListServersRequest;
import io.thermocline.rpc.messages.ListServersResponse;
import io.thermocline.rpc.messages.ListTablesRequest;
import io.thermocline.rpc.messages.ListTablesResponse;
import io.thermocline.rpc.messages.ListUsersRequest;
import io.thermocline.rpc.messages.ListUsersResponse;
import io.thermocline.rpc.messages.ReassignReplicasRequest;
import io.thermocline.rpc.messages.ReassignReplicasResponse;
import io.thermocline.rpc.messages.ServerNode;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.security.AclEntries;
import io.thermocline.rpc.security.ScramCredential;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Admin} over the coordinator RPCs, and the bucket leaders' for offsets. */
final class AdminImpl implements Admin {
    private final CoordinatorChannel coordinator;
    private final ConnectionPool pool;
    private final Retrier retrier;

    AdminImpl(CoordinatorChannel coordinator, ConnectionPool pool, Retrier retrier) {
        this.coordinator = coordinator;
        this.pool = pool;
        this.retrier = retrier;
    }

    @Override
    public CompletableFuture<Void> createDatabase(String database, String comment, boolean ignoreIfExists) {
        CreateDatabaseRequest.Builder request = CreateDatabaseRequest.newBuilder()
                .setDatabase(database).setIgnoreIfExists(ignoreIfExists);
        if (comment != null) {
            request.setComment(comment);
        }
        return coordinator.call(ApiKeys.CREATE_DATABASE, request.build(), CreateDatabaseResponse.parser())
                .thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Void> dropDatabase(String database, boolean ignoreIfNotExists, boolean cascade) {
        return coordinator.call(ApiKeys.DROP_DATABASE, DropDatabaseRequest.newBuilder().setDatabase(database)
                        .setIgnoreIfNotExists(ignoreIfNotExists).setCascade(cascade).build(), DropDatabaseResponse.parser())
                .thenApply(r -> null);
    }

    @Override
    public CompletableFuture<List<String>> listDatabases() {
        return coordinator.call(ApiKeys.LIST_DATABASES, ListDatabasesRequest.getDefaultInstance(),
                ListDatabasesResponse.parser()).thenApply(r -> List.copyOf(r.getDatabasesList()));
    }

    @Override
    public CompletableFuture<Long> createTable(TablePath path, TableDescriptor descriptor, boolean ignoreIfExists) {
        CreateTableRequest.Builder request = CreateTableRequest.newBuilder()
                .setDatabase(path.database())
                .setTable(path.table())
                .setSchemaJson(SchemaJson.toJson(descriptor.schema()))
                .setBucketCount(descriptor.bucketCount())
                .addAllBucketKeys(descriptor.bucketKeys())
                .putAllOptions(descriptor.options())
                .setReplicationFactor(descriptor.replicationFactor())
                .setIgnoreIfExists(ignoreIfExists);
        if (descriptor.comment() != null) {
            request.setComment(descriptor.comment());
        }
        request.addAllPartitionKeys(descriptor.partitionKeys());
        return coordinator.call(ApiKeys.CREATE_TABLE, request.build(), CreateTableResponse.parser())
                .thenApply(CreateTableResponse::getTableId);
    }

    @Override
    public CompletableFuture<Void> dropTable(TablePath path, boolean ignoreIfNotExists) {
        return coordinator.call(ApiKeys.DROP_TABLE, DropTableRequest.newBuilder().setDatabase(path.database())
                        .setTable(path.table()).setIgnoreIfNotExists(ignoreIfNotExists).build(), DropTableResponse.parser())
                .thenApply(r -> null);
    }

    @Override
    public CompletableFuture<List<String>> listTables(String database) {
        return coordinator.call(ApiKeys.LIST_TABLES, ListTablesRequest.newBuilder().setDatabase(database).build(),
                ListTablesResponse.parser()).thenApply(r -> List.copyOf(r.getTablesList()));
    }

    @Override
    public CompletableFuture<TableInfo> getTable(TablePath path) {
        return coordinator.call(ApiKeys.GET_TABLE, GetTableRequest.newBuilder().setDatabase(path.database())
                .setTable(path.table()).build(), GetTableResponse.parser()).thenApply(AdminImpl::toTableInfo);
    }

    @Override
    public CompletableFuture<Long> createPartition(TablePath path, Map<String, String> spec, boolean ignoreIfExists) {
        return coordinator.call(ApiKeys.CREATE_PARTITION, CreatePartitionRequest.newBuilder()
                        .setDatabase(path.database()).setTable(path.table()).putAllSpec(spec)
                        .setIgnoreIfExists(ignoreIfExists).build(), CreatePartitionResponse.parser())
                .thenApply(CreatePartitionResponse::getPartitionId);
    }

    @Override
    public CompletableFuture<Void> dropPartition(TablePath path, Map<String, String> spec, boolean ignoreIfNotExists) {
        return coordinator.call(ApiKeys.DROP_PARTITION, DropPartitionRequest.newBuilder()
                        .setDatabase(path.database()).setTable(path.table()).putAllSpec(spec)
                        .setIgnoreIfNotExists(ignoreIfNotExists).build(), DropPartitionResponse.parser())
                .thenApply(r -> null);
    }

    @Override
    public CompletableFuture<List<PartitionInfo>> listPartitions(TablePath path) {
        return getTable(path).thenCombine(listPartitionLocations(path), (table, response) -> {
            List<PartitionInfo> partitions = new ArrayList<>();
            Map<Integer, String> addresses = addresses(response.getServersList());
            for (var partition : response.getPartitionsList()) {
                partitions.add(toPartitionInfo(table.partitionKeys(), partition, addresses));
            }
            return List.copyOf(partitions);
        });
    }

    @Override
    public CompletableFuture<Void> alterTable(TablePath path, Map<String, String> set, java.util.Set<String> reset,
            List<DataField> addColumns) {
        AlterTableRequest.Builder request = AlterTableRequest.newBuilder().setDatabase(path.database())
                .setTable(path.table()).putAllSetOptions(set).addAllResetOptions(reset);
        for (DataField column : addColumns) {
            request.addAddColumns(ColumnSpec.newBuilder().setName(column.name())
                    .setTypeJson(SchemaJson.typeToJson(column.type()))
                    .setComment(column.description() == null ? "" : column.description()));
        }
        return coordinator.call(ApiKeys.ALTER_TABLE, request.build(), AlterTableResponse.parser()).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<List<ServerInfo>> listServers() {
        return coordinator.call(ApiKeys.LIST_SERVERS, ListServersRequest.getDefaultInstance(), ListServersResponse.parser())
                .thenApply(response -> response.getServersList().stream()
                        .map(s -> new ServerInfo(s.getId(), s.getHost(), s.getPort(), s.getRack().isEmpty() ? null
                                : s.getRack()))
                        .sorted(java.util.Comparator.comparingInt(ServerInfo::id)).toList());
    }

    @Override
    public CompletableFuture<Integer> electPreferredLeaders() {
        return coordinator.call(ApiKeys.ELECT_LEADERS, ElectLeadersRequest.getDefaultInstance(),
                ElectLeadersResponse.parser()).thenApply(ElectLeadersResponse::getMoved);
    }

    @Override
    public CompletableFuture<Void> reassignReplicas(TablePath path, String partition, int bucket, List<Integer> replicas) {
        return coordinator.call(ApiKeys.REASSIGN_REPLICAS, ReassignReplicasRequest.newBuilder()
                .setDatabase(path.database()).setTable(path.table()).setPartition(partition == null ? "" : partition)
                .setBucket(bucket).addAllReplicas(replicas).build(), ReassignReplicasResponse.parser())
                .thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Integer> drainServer(int serverId) {
        return coordinator.call(ApiKeys.DRAIN_SERVER, DrainServerRequest.newBuilder().setServerId(serverId).build(),
                DrainServerResponse.parser()).thenApply(DrainServerResponse::getBucketsMoving);
    }

    @Override
    public CompletableFuture<Void> createOrUpdateUser(String user, String password) {
        String credential = ScramCredential.create(password, ScramCredential.DEFAULT_ITERATIONS).encode();
        return coordinator.call(ApiKeys.ALTER_USER, AlterUserRequest.newBuilder().setUser(user)
                .setScramCredential(credential).build(), AlterUserResponse.parser()).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Boolean> dropUser(String user) {
        return coordinator.call(ApiKeys.DROP_USER, DropUserRequest.newBuilder().setUser(user).build(),
                DropUserResponse.parser()).thenApply(DropUserResponse::getExisted);
    }

    @Override
    public CompletableFuture<List<String>> listUsers() {
        return coordinator.call(ApiKeys.LIST_USERS, ListUsersRequest.getDefaultInstance(), ListUsersResponse.parser())
                .thenApply(response -> List.copyOf(response.getUsersList()));
    }

    @Override
    public CompletableFuture<Void> createAcls(List<AclBinding> acls) {
        return coordinator.call(ApiKeys.CREATE_ACLS, CreateAclsRequest.newBuilder().addAllAcls(acls.stream()
                .map(AclEntries::toProto).toList()).build(), CreateAclsResponse.parser()).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Integer> deleteAcls(List<AclBinding> acls) {
        return coordinator.call(ApiKeys.DELETE_ACLS, DeleteAclsRequest.newBuilder().addAllAcls(acls.stream()
                .map(AclEntries::toProto).toList()).build(), DeleteAclsResponse.parser())
                .thenApply(DeleteAclsResponse::getDeleted);
    }

    @Override
    public CompletableFuture<List<AclBinding>> listAcls() {
        return coordinator.call(ApiKeys.LIST_ACLS, ListAclsRequest.getDefaultInstance(), ListAclsResponse.parser())
                .thenApply(response -> response.getAclsList().stream().map(AclEntries::fromProto).toList());
    }

    @Override
    public CompletableFuture<Map<String, String>> getLakeCatalogOptions(TablePath table) {
        return coordinator.call(ApiKeys.GET_LAKE_CATALOG, GetLakeCatalogRequest.newBuilder()
                        .setDatabase(table.database()).setTable(table.table()).build(),
                GetLakeCatalogResponse.parser()).thenApply(response -> Map.copyOf(response.getOptionsMap()));
    }

    @Override
    public CompletableFuture<Optional<LakeSnapshot>> getLakeSnapshot(TablePath path) {
        return coordinator.call(ApiKeys.GET_LAKE_SNAPSHOT, GetLakeSnapshotRequest.newBuilder()
                        .setDatabase(path.database()).setTable(path.table()).build(), GetLakeSnapshotResponse.parser())
                .thenApply(response -> !response.getHasSnapshot() ? Optional.empty() : Optional.of(new LakeSnapshot(
                        response.getTableId(), response.getSnapshotId(), response.getTieringEpoch(),
                        TieringGatewayImpl.toMap(response.getTableId(), response.getOffsetsList()))));
    }

    @Override
    public CompletableFuture<Map<Integer, Long>> listOffsets(TablePath path, List<Integer> buckets, OffsetSpec spec) {
        return listOffsets(path, TableBucket.NO_PARTITION, buckets, spec);
    }

    @Override
    public CompletableFuture<Map<Integer, Long>> listOffsets(TablePath path, long partitionId, List<Integer> buckets,
            OffsetSpec spec) {
        // Fresh leaders on every attempt: a retriable error means one moved.
        return retrier.retry(() -> bucketLeaders(path, partitionId).thenCompose(leaders -> {
            Map<String, List<Integer>> byLeader = new LinkedHashMap<>();
            for (int bucket : buckets) {
                if (bucket < 0 || bucket >= leaders.buckets().size()) {
                    throw new InvalidRequestException("Table " + path + " has buckets 0 to "
                            + (leaders.buckets().size() - 1) + ", not " + bucket);
                }
                String leader = leaders.buckets().get(bucket).leaderAddress();
                if (leader == null) {
                    throw new NotLeaderException("Bucket " + bucket + " of " + path + " has no live leader");
                }
                byLeader.computeIfAbsent(leader, l -> new ArrayList<>()).add(bucket);
            }
            Map<Integer, Long> offsets = new ConcurrentHashMap<>();
            CompletableFuture<?>[] calls = byLeader.entrySet().stream().map(e -> {
                ListOffsetsRequest.Builder request = ListOffsetsRequest.newBuilder().setTableId(leaders.tableId())
                        .addAllBuckets(e.getValue()).setSpec(spec.kind()).setTimestamp(spec.timestampMillis());
                if (partitionId != TableBucket.NO_PARTITION) {
                    request.setPartitionId(partitionId);
                }
                return pool.get(e.getKey(), ConnectionPool.Purpose.CONTROL)
                        .thenCompose(c -> c.send(ApiKeys.LIST_OFFSETS, request.build(), ListOffsetsResponse.parser()))
                        .thenAccept(response -> {
                            for (ListOffsetsResult result : response.getBucketsList()) {
                                if (result.getErrorCode() != Errors.NONE.code()) {
                                    throw Errors.forCode((short) result.getErrorCode()).exception(result.getErrorMessage());
                                }
                                offsets.put(result.getBucket(), result.getOffset());
                            }
                        });
            }).toArray(CompletableFuture<?>[]::new);
            return CompletableFuture.allOf(calls).thenApply(done -> Map.copyOf(offsets));
        }));
    }

    private record Leaders(long tableId, List<TableInfo.BucketLeader> buckets) {}

    /** The bucket leaders of a table, or of one of its partitions. */
    private CompletableFuture<Leaders> bucketLeaders(TablePath path, long partitionId) {
        if (partitionId == TableBucket.NO_PARTITION) {
            return getTable(path).thenApply(table -> new Leaders(table.tableId(), table.buckets()));
        }
        return getTable(path).thenCombine(listPartitionLocations(path), (table, response) -> {
            for (var partition : response.getPartitionsList()) {
                if (partition.getPartitionId() == partitionId) {
                    return new Leaders(table.tableId(),
                            bucketLeaders(partition.getBucketsList(), addresses(response.getServersList())));
                }
            }
            throw new PartitionNotExistException("Table " + path + " has no partition " + partitionId);
        });
    }

    /** Retries of data-plane calls, with the admin timeout and backoff. */
    Retrier retrier() {
        return retrier;
    }

    /** A new idempotent writer id from the coordinator. */
    CompletableFuture<Long> initWriter() {
        return coordinator.call(ApiKeys.INIT_WRITER, InitWriterRequest.getDefaultInstance(), InitWriterResponse.parser())
                .thenApply(InitWriterResponse::getWriterId);
    }

    CompletableFuture<ListPartitionsResponse> listPartitionLocations(TablePath path) {
        return coordinator.call(ApiKeys.LIST_PARTITIONS, ListPartitionsRequest.newBuilder()
                .setDatabase(path.database()).setTable(path.table()).build(), ListPartitionsResponse.parser());
    }

    static PartitionInfo toPartitionInfo(List<String> partitionKeys, io.thermocline.rpc.messages.PartitionInfo partition,
            Map<Integer, String> addresses) {
        Map<String, String> spec = new LinkedHashMap<>();
        for (int i = 0; i < partitionKeys.size(); i++) {
            spec.put(partitionKeys.get(i), partition.getValues(i));
        }
        return new PartitionInfo(partition.getPartitionId(), partition.getName(), Collections.unmodifiableMap(spec),
                partition.getCreatedAt(), bucketLeaders(partition.getBucketsList(), addresses));
    }

    static Map<Integer, String> addresses(List<ServerNode> servers) {
        Map<Integer, String> addresses = new HashMap<>();
        for (ServerNode server : servers) {
            addresses.put(server.getId(), server.getHost() + ":" + server.getPort());
        }
        return addresses;
    }

    static List<TableInfo.BucketLeader> bucketLeaders(List<BucketLocation> locations, Map<Integer, String> addresses) {
        List<TableInfo.BucketLeader> buckets = new ArrayList<>();
        for (BucketLocation location : locations) {
            buckets.add(new TableInfo.BucketLeader(location.getBucket(), location.getLeader(), location.getLeaderEpoch(),
                    List.copyOf(location.getReplicasList()), List.copyOf(location.getIsrList()),
                    addresses.get(location.getLeader())));
        }
        return List.copyOf(buckets);
    }

    private static TableInfo toTableInfo(GetTableResponse response) {
        var table = response.getTable();
        return new TableInfo(table.getTableId(), TablePath.of(table.getDatabase(), table.getTable()),
                SchemaJson.fromJson(table.getSchemaJson()), table.getBucketCount(), List.copyOf(table.getBucketKeysList()),
                List.copyOf(table.getPartitionKeysList()), Map.copyOf(table.getOptionsMap()),
                table.getComment().isEmpty() ? null : table.getComment(), table.getCreatedAt(),
                bucketLeaders(table.getBucketsList(), addresses(response.getServersList())),
                table.getOlderSchemaJsonList().stream().map(SchemaJson::fromJson).toList());
    }
}
