package io.thermocline.server.security;

import io.thermocline.common.security.AclBinding.Operation;
import io.thermocline.common.security.AclBinding.ResourceType;
import io.thermocline.rpc.messages.AlterTableRequest;
import io.thermocline.rpc.messages.CreatePartitionRequest;
import io.thermocline.rpc.messages.CreateTableRequest;
import io.thermocline.rpc.messages.DropDatabaseRequest;
import io.thermocline.rpc.messages.DropPartitionRequest;
import io.thermocline.rpc.messages.DropTableRequest;
import io.thermocline.rpc.messages.FetchRequest;
import io.thermocline.rpc.messages.FetchTable;
import io.thermocline.rpc.messages.GetLakeSnapshotRequest;
import io.thermocline.rpc.messages.GetLakeCatalogRequest;
import io.thermocline.rpc.messages.GetTableRequest;
import io.thermocline.rpc.messages.ListOffsetsRequest;
import io.thermocline.rpc.messages.ListPartitionsRequest;
import io.thermocline.rpc.messages.ListTablesRequest;
import io.thermocline.rpc.messages.LookupRequest;
import io.thermocline.rpc.messages.PrefixLookupRequest;
import io.thermocline.rpc.messages.ProduceRequest;
import io.thermocline.rpc.messages.PutKvRequest;
import io.thermocline.rpc.server.RequestContext;
import io.thermocline.rpc.server.RequestGuard;

import com.google.protobuf.MessageLite;

import java.util.function.LongFunction;

/**
 * What each API needs, checked before its handler runs (docs/security.md lists it): table APIs the
 * operation on their table, DDL on the database or table it changes, and what servers and the
 * tiering job do among themselves ALTER on the cluster (super users).
 */
public final class RequestAuthorizer implements RequestGuard {
    private final Authorizer authorizer;
    /** A table id to its {@code db.table}; an unknown id fails as the table not existing. */
    private final LongFunction<String> tableName;

    public RequestAuthorizer(Authorizer authorizer, LongFunction<String> tableName) {
        this.authorizer = authorizer;
        this.tableName = tableName;
    }

    @Override
    public void check(RequestContext ctx, MessageLite request) {
        if (!authorizer.enabled()) {
            return;
        }
        switch (ctx.api()) {
            case API_VERSIONS, SASL_HANDSHAKE, SASL_AUTHENTICATE, INIT_WRITER -> {
                // no resource: the SASL exchange, and a writer id (its writes are checked)
            }
            case CREATE_DATABASE -> cluster(ctx, Operation.CREATE);
            case LIST_DATABASES, LIST_SERVERS, LIST_USERS, LIST_ACLS -> cluster(ctx, Operation.DESCRIBE);
            case GET_LAKE_CATALOG -> {
                // The lake's options reach all its tables' files: handed out for one table its reader may READ.
                GetLakeCatalogRequest get = (GetLakeCatalogRequest) request;
                if (get.getTable().isEmpty()) {
                    cluster(ctx, Operation.ALTER);
                } else {
                    table(ctx, Operation.READ, get.getDatabase() + "." + get.getTable());
                }
            }
            case ALTER_USER, DROP_USER, CREATE_ACLS, DELETE_ACLS, STOP_REPLICAS, OFFSET_FOR_LEADER_EPOCH,
                    NOTIFY_LEADER_AND_ISR, ADJUST_ISR, CONTROLLED_SHUTDOWN, ACQUIRE_TIERING_TABLE, TIERING_HEARTBEAT,
                    FINISH_TIERING, FAIL_TIERING, ELECT_LEADERS, REASSIGN_REPLICAS, DRAIN_SERVER ->
                    cluster(ctx, Operation.ALTER);
            case DROP_DATABASE -> database(ctx, Operation.DROP, ((DropDatabaseRequest) request).getDatabase());
            case LIST_TABLES -> database(ctx, Operation.DESCRIBE, ((ListTablesRequest) request).getDatabase());
            case CREATE_TABLE -> database(ctx, Operation.CREATE, ((CreateTableRequest) request).getDatabase());
            case DROP_TABLE -> {
                DropTableRequest drop = (DropTableRequest) request;
                table(ctx, Operation.DROP, drop.getDatabase() + "." + drop.getTable());
            }
            case GET_TABLE -> {
                GetTableRequest get = (GetTableRequest) request;
                table(ctx, Operation.DESCRIBE, get.getDatabase() + "." + get.getTable());
            }
            case ALTER_TABLE -> {
                AlterTableRequest alter = (AlterTableRequest) request;
                table(ctx, Operation.ALTER, alter.getDatabase() + "." + alter.getTable());
            }
            case LIST_PARTITIONS -> {
                ListPartitionsRequest list = (ListPartitionsRequest) request;
                table(ctx, Operation.DESCRIBE, list.getDatabase() + "." + list.getTable());
            }
            case CREATE_PARTITION -> {
                // Writers create the partition of a row when it is missing: WRITE is enough.
                CreatePartitionRequest create = (CreatePartitionRequest) request;
                String table = create.getDatabase() + "." + create.getTable();
                if (!authorizer.isAllowed(ctx.principal(), Operation.WRITE, ResourceType.TABLE, table)) {
                    table(ctx, Operation.ALTER, table);
                }
            }
            case DROP_PARTITION -> {
                DropPartitionRequest drop = (DropPartitionRequest) request;
                table(ctx, Operation.DROP, drop.getDatabase() + "." + drop.getTable());
            }
            case GET_LAKE_SNAPSHOT -> {
                GetLakeSnapshotRequest get = (GetLakeSnapshotRequest) request;
                table(ctx, Operation.DESCRIBE, get.getDatabase() + "." + get.getTable());
            }
            case PRODUCE -> tableId(ctx, Operation.WRITE, ((ProduceRequest) request).getTableId());
            case PUT_KV -> tableId(ctx, Operation.WRITE, ((PutKvRequest) request).getTableId());
            case LOOKUP -> tableId(ctx, Operation.READ, ((LookupRequest) request).getTableId());
            case PREFIX_LOOKUP -> tableId(ctx, Operation.READ, ((PrefixLookupRequest) request).getTableId());
            case LIST_OFFSETS -> tableId(ctx, Operation.DESCRIBE, ((ListOffsetsRequest) request).getTableId());
            case FETCH -> {
                FetchRequest fetch = (FetchRequest) request;
                if (fetch.hasFollowerId()) {
                    cluster(ctx, Operation.ALTER); // a replica following its leader
                } else {
                    for (FetchTable table : fetch.getTablesList()) {
                        tableId(ctx, Operation.READ, table.getTableId());
                    }
                }
            }
            default -> cluster(ctx, Operation.ALTER); // an API this list forgot: super users only
        }
    }

    private void cluster(RequestContext ctx, Operation operation) {
        authorizer.require(ctx, operation, ResourceType.CLUSTER, "");
    }

    private void database(RequestContext ctx, Operation operation, String database) {
        authorizer.require(ctx, operation, ResourceType.DATABASE, database);
    }

    private void table(RequestContext ctx, Operation operation, String table) {
        authorizer.require(ctx, operation, ResourceType.TABLE, table);
    }

    private void tableId(RequestContext ctx, Operation operation, long tableId) {
        table(ctx, operation, tableName.apply(tableId));
    }
}
