package io.thermocline.server.coordinator;

import io.thermocline.common.exception.PartitionAlreadyExistsException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.rpc.messages.CreatePartitionRequest;
import io.thermocline.rpc.messages.CreatePartitionResponse;
import io.thermocline.rpc.messages.DropPartitionRequest;
import io.thermocline.rpc.messages.DropPartitionResponse;
import io.thermocline.rpc.messages.ListPartitionsRequest;
import io.thermocline.rpc.messages.ListPartitionsResponse;
import io.thermocline.rpc.messages.PartitionInfo;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.server.RequestContext;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.zk.ZkRecords.PartitionRegistration;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.util.List;

/** Partition DDL and partition metadata, served by the active coordinator. */
final class PartitionService {
    private final ZooKeeperMetadataStore store;
    private final ActiveCoordinator active;
    private final PartitionManager partitions;

    PartitionService(ZooKeeperMetadataStore store, ActiveCoordinator active, PartitionManager partitions) {
        this.store = store;
        this.active = active;
        this.partitions = partitions;
    }

    void register(RpcService.Builder service) {
        service.register(ApiKeys.CREATE_PARTITION, CreatePartitionRequest.parser(), (ctx, r) -> active.serve(() -> create(r)))
                .register(ApiKeys.DROP_PARTITION, DropPartitionRequest.parser(), (ctx, r) -> active.serve(() -> drop(r)))
                .register(ApiKeys.LIST_PARTITIONS, ListPartitionsRequest.parser(), (ctx, r) -> active.serve(() -> list(r, ctx)));
    }

    private CreatePartitionResponse create(CreatePartitionRequest request) {
        TableRegistration table = store.requireTable(TablePath.of(request.getDatabase(), request.getTable()));
        List<String> values = partitions.values(table, request.getSpecMap());
        PartitionRegistration partition;
        try {
            partition = partitions.create(table, values);
        } catch (PartitionAlreadyExistsException e) {
            if (!request.getIgnoreIfExists()) {
                throw e;
            }
            partition = partitions.require(table, values);
        }
        return CreatePartitionResponse.newBuilder().setPartitionId(partition.partitionId()).build();
    }

    private DropPartitionResponse drop(DropPartitionRequest request) {
        TableRegistration table = store.requireTable(TablePath.of(request.getDatabase(), request.getTable()));
        try {
            partitions.drop(partitions.require(table, partitions.values(table, request.getSpecMap())));
        } catch (PartitionNotExistException e) {
            if (!request.getIgnoreIfNotExists()) {
                throw e;
            }
        }
        return DropPartitionResponse.getDefaultInstance();
    }

    private ListPartitionsResponse list(ListPartitionsRequest request, RequestContext ctx) {
        TableRegistration table = store.requireTable(TablePath.of(request.getDatabase(), request.getTable()));
        ListPartitionsResponse.Builder response = ListPartitionsResponse.newBuilder();
        for (PartitionRegistration partition : store.partitions(table.tableId())) {
            PartitionInfo.Builder info = PartitionInfo.newBuilder()
                    .setPartitionId(partition.partitionId())
                    .setName(partition.name())
                    .addAllValues(partition.values())
                    .setCreatedAt(partition.createdAt());
            try {
                info.addAllBuckets(BucketLocations.of(store, table.tableId(), partition.partitionId(), table.bucketCount()));
            } catch (PartitionNotExistException e) {
                continue; // dropped while listing
            }
            response.addPartitions(info);
        }
        return response.addAllServers(BucketLocations.servers(store, ctx.listener())).build();
    }
}
