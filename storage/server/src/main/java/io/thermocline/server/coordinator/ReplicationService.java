package io.thermocline.server.coordinator;

import io.thermocline.common.exception.ApiException;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.rpc.messages.AdjustIsrBucket;
import io.thermocline.rpc.messages.AdjustIsrRequest;
import io.thermocline.rpc.messages.AdjustIsrResponse;
import io.thermocline.rpc.messages.AdjustIsrResult;
import io.thermocline.rpc.messages.BucketLeaderAndIsr;
import io.thermocline.rpc.messages.ControlledShutdownRequest;
import io.thermocline.rpc.messages.ControlledShutdownResponse;
import io.thermocline.rpc.messages.DrainServerRequest;
import io.thermocline.rpc.messages.DrainServerResponse;
import io.thermocline.rpc.messages.ElectLeadersRequest;
import io.thermocline.rpc.messages.ElectLeadersResponse;
import io.thermocline.rpc.messages.InitWriterRequest;
import io.thermocline.rpc.messages.InitWriterResponse;
import io.thermocline.rpc.messages.ReassignReplicasRequest;
import io.thermocline.rpc.messages.ReassignReplicasResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.BucketRefs;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.security.WriterIds;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Requests about replication to the coordinator: ISR changes, controlled shutdown, idempotent writer
 * ids, and an operator's leader elections, replica moves and drains.
 */
final class ReplicationService {
    private final ActiveCoordinator active;
    private final ReplicationController controller;
    private final ZooKeeperMetadataStore store;
    private final WriterIds writerIds;

    ReplicationService(ActiveCoordinator active, ReplicationController controller, ZooKeeperMetadataStore store,
            WriterIds writerIds) {
        this.active = active;
        this.controller = controller;
        this.store = store;
        this.writerIds = writerIds;
    }

    void register(RpcService.Builder service) {
        service.register(ApiKeys.ADJUST_ISR, AdjustIsrRequest.parser(), (ctx, r) -> active.serve(() -> r)
                        .thenCompose(this::adjustIsr))
                .register(ApiKeys.CONTROLLED_SHUTDOWN, ControlledShutdownRequest.parser(), (ctx, r) -> active.serve(() -> r)
                        .thenCompose(request -> controller.controlledShutdown(request.getServerId()))
                        .thenApply(remaining -> ControlledShutdownResponse.newBuilder().setRemainingLeaders(remaining).build()))
                .register(ApiKeys.INIT_WRITER, InitWriterRequest.parser(), (ctx, r) -> active.serve(() ->
                        InitWriterResponse.newBuilder().setWriterId(writerIds.issue(store.nextWriterId(), ctx.principal()))
                                .build()))
                .register(ApiKeys.ELECT_LEADERS, ElectLeadersRequest.parser(), (ctx, r) -> active.serve(() -> r)
                        .thenCompose(request -> controller.electPreferredLeaders())
                        .thenApply(moved -> ElectLeadersResponse.newBuilder().setMoved(moved).build()))
                .register(ApiKeys.REASSIGN_REPLICAS, ReassignReplicasRequest.parser(), (ctx, r) -> active.serve(() -> r)
                        .thenCompose(this::reassign)
                        .thenApply(done -> ReassignReplicasResponse.getDefaultInstance()))
                .register(ApiKeys.DRAIN_SERVER, DrainServerRequest.parser(), (ctx, r) -> active.serve(() -> r)
                        .thenCompose(request -> controller.drain(request.getServerId()))
                        .thenApply(moving -> DrainServerResponse.newBuilder().setBucketsMoving(moving).build()));
    }

    private CompletableFuture<Void> reassign(ReassignReplicasRequest request) {
        TableRegistration table = store.requireTable(TablePath.of(request.getDatabase(), request.getTable()));
        long partitionId = TableBucket.NO_PARTITION;
        String what = "Table " + table.path() + " bucket " + request.getBucket();
        if (table.isPartitioned()) {
            if (request.getPartition().isEmpty()) {
                throw new InvalidRequestException("Table " + table.path() + " is partitioned: name the partition");
            }
            partitionId = store.partition(table.tableId(), request.getPartition())
                    .orElseThrow(() -> new PartitionNotExistException("Table " + table.path() + " has no partition "
                            + request.getPartition())).partitionId();
            what = "Table " + table.path() + " partition " + request.getPartition() + " bucket " + request.getBucket();
        } else if (!request.getPartition().isEmpty()) {
            throw new InvalidRequestException("Table " + table.path() + " is not partitioned, yet partition "
                    + request.getPartition() + " was named");
        }
        if (request.getBucket() < 0 || request.getBucket() >= table.bucketCount()) {
            throw new InvalidRequestException("Table " + table.path() + " has no bucket " + request.getBucket() + " (it has "
                    + table.bucketCount() + ")");
        }
        return controller.reassign(new TableBucket(table.tableId(), partitionId, request.getBucket()), what,
                request.getReplicasList());
    }

    private CompletableFuture<AdjustIsrResponse> adjustIsr(AdjustIsrRequest request) {
        List<CompletableFuture<AdjustIsrResult>> results = new ArrayList<>();
        for (AdjustIsrBucket bucket : request.getBucketsList()) {
            TableBucket tableBucket = BucketRefs.toTableBucket(bucket.getBucket());
            results.add(controller.adjustIsr(request.getServerId(), tableBucket, bucket.getLeaderEpoch(),
                    bucket.getNewIsrList(), bucket.getBucketVersion()).handle((state, error) -> {
                        AdjustIsrResult.Builder result = AdjustIsrResult.newBuilder().setBucket(bucket.getBucket());
                        if (error != null) {
                            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                            Errors code = Errors.forException(cause);
                            result.setErrorCode(code.code()).setErrorMessage(cause instanceof ApiException
                                    ? cause.getMessage() : "Unexpected coordinator error: " + cause);
                            if (cause instanceof StaleIsrVersionException) {
                                BucketLeaderAndIsr current = ((StaleIsrVersionException) cause).current();
                                result.setLeaderEpoch(current.getLeaderEpoch()).addAllIsr(current.getIsrList())
                                        .setBucketVersion(current.getBucketVersion());
                            }
                            return result.build();
                        }
                        return result.setLeaderEpoch(state.getLeaderEpoch()).addAllIsr(state.getIsrList())
                                .setBucketVersion(state.getBucketVersion()).build();
                    }));
        }
        return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            AdjustIsrResponse.Builder response = AdjustIsrResponse.newBuilder();
            results.forEach(r -> response.addBuckets(r.join()));
            return response.build();
        });
    }
}
