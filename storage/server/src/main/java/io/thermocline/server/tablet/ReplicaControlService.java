package io.thermocline.server.tablet;

import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.messages.StopReplica;
import io.thermocline.rpc.messages.StopReplicasRequest;
import io.thermocline.rpc.messages.StopReplicasResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.server.RpcService;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** The coordinator's commands to this server about the replicas it holds. */
final class ReplicaControlService {
    private final ReplicaManager replicas;
    /** Commands of a coordinator older than one already heard from are refused: it was replaced. */
    private final AtomicInteger highestCoordinatorEpoch = new AtomicInteger(-1);

    ReplicaControlService(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    void register(RpcService.Builder service) {
        service.register(ApiKeys.STOP_REPLICAS, StopReplicasRequest.parser(),
                (ctx, r) -> CompletableFuture.completedFuture(stopReplicas(r)));
    }

    private StopReplicasResponse stopReplicas(StopReplicasRequest request) {
        int epoch = request.getCoordinatorEpoch();
        int highest = highestCoordinatorEpoch.accumulateAndGet(epoch, Math::max);
        if (epoch < highest) {
            throw new InvalidRequestException("Coordinator epoch " + epoch + " is stale: epoch " + highest + " is active");
        }
        List<TableBucket> buckets = new ArrayList<>();
        for (StopReplica replica : request.getReplicasList()) {
            buckets.add(new TableBucket(replica.getTableId(),
                    replica.hasPartitionId() ? replica.getPartitionId() : TableBucket.NO_PARTITION, replica.getBucket()));
        }
        replicas.stopReplicas(buckets, request.getDelete());
        return StopReplicasResponse.getDefaultInstance();
    }
}
