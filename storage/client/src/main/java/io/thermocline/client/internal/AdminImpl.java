package io.thermocline.client.internal;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.metadata.TablePath;
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
import io.thermocline.rpc.protocol.ApiKeys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@link Admin} over the coordinator RPCs. */
final class AdminImpl implements Admin {
    private final CoordinatorChannel coordinator;

    AdminImpl(CoordinatorChannel coordinator) {
        this.coordinator = coordinator;
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

    private static TableInfo toTableInfo(GetTableResponse response) {
        Map<Integer, String> addresses = new HashMap<>();
        for (ServerNode server : response.getServersList()) {
            addresses.put(server.getId(), server.getHost() + ":" + server.getPort());
        }
        var table = response.getTable();
        List<TableInfo.BucketLeader> buckets = new ArrayList<>();
        for (BucketLocation location : table.getBucketsList()) {
            buckets.add(new TableInfo.BucketLeader(location.getBucket(), location.getLeader(), location.getLeaderEpoch(),
                    List.copyOf(location.getReplicasList()), addresses.get(location.getLeader())));
        }
        return new TableInfo(table.getTableId(), TablePath.of(table.getDatabase(), table.getTable()),
                SchemaJson.fromJson(table.getSchemaJson()), table.getBucketCount(), List.copyOf(table.getBucketKeysList()),
                Map.copyOf(table.getOptionsMap()), table.getComment().isEmpty() ? null : table.getComment(),
                table.getCreatedAt(), List.copyOf(buckets));
    }
}
