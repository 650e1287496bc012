package io.thermocline.server.tablet;

import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.messages.BucketError;
import io.thermocline.rpc.messages.BucketLeaderAndIsr;
import io.thermocline.rpc.messages.EpochEndResult;
import io.thermocline.rpc.messages.EpochQuery;
import io.thermocline.rpc.messages.NotifyLeaderAndIsrRequest;
import io.thermocline.rpc.messages.NotifyLeaderAndIsrResponse;
import io.thermocline.rpc.messages.OffsetForLeaderEpochRequest;
import io.thermocline.rpc.messages.OffsetForLeaderEpochResponse;
import io.thermocline.rpc.messages.StopReplica;
import io.thermocline.rpc.messages.StopReplicasRequest;
import io.thermocline.rpc.messages.StopReplicasResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.BucketRefs;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.log.LeaderEpochCache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Replication requests to this server: the coordinator's commands (who leads which bucket, which
 * replicas to stop), fenced by coordinator epoch, and followers' questions about where an epoch
 * ends in the leader's log.
 */
final class ReplicaControlService {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaControlService.class);

    private final ReplicaManager replicas;
    /** This process's registration time, which announcements must name. */
    private final LongSupplier incarnation;

    ReplicaControlService(ReplicaManager replicas, LongSupplier incarnation) {
        this.replicas = replicas;
        this.incarnation = incarnation;
    }

    void register(RpcService.Builder service) {
        service.register(ApiKeys.STOP_REPLICAS, StopReplicasRequest.parser(),
                        (ctx, r) -> CompletableFuture.completedFuture(stopReplicas(r)))
                .register(ApiKeys.NOTIFY_LEADER_AND_ISR, NotifyLeaderAndIsrRequest.parser(),
                        (ctx, r) -> CompletableFuture.completedFuture(notifyLeaderAndIsr(r)))
                .register(ApiKeys.OFFSET_FOR_LEADER_EPOCH, OffsetForLeaderEpochRequest.parser(),
                        (ctx, r) -> CompletableFuture.completedFuture(offsetForLeaderEpoch(r)));
    }

    private StopReplicasResponse stopReplicas(StopReplicasRequest request) {
        replicas.checkCoordinatorEpoch(request.getCoordinatorEpoch());
        List<TableBucket> buckets = new ArrayList<>();
        for (StopReplica replica : request.getReplicasList()) {
            buckets.add(new TableBucket(replica.getTableId(),
                    replica.hasPartitionId() ? replica.getPartitionId() : TableBucket.NO_PARTITION, replica.getBucket()));
        }
        replicas.stopReplicas(buckets, request.getDelete());
        return StopReplicasResponse.getDefaultInstance();
    }

    private NotifyLeaderAndIsrResponse notifyLeaderAndIsr(NotifyLeaderAndIsrRequest request) {
        replicas.checkCoordinatorEpoch(request.getCoordinatorEpoch());
        if (request.getServerIncarnation() != incarnation.getAsLong()) {
            throw new InvalidRequestException("Leaderships meant for the tablet server registered at "
                    + request.getServerIncarnation() + ", not this one registered at " + incarnation.getAsLong());
        }
        NotifyLeaderAndIsrResponse.Builder response = NotifyLeaderAndIsrResponse.newBuilder();
        for (BucketLeaderAndIsr state : request.getBucketsList()) {
            TableBucket bucket = BucketRefs.toTableBucket(state.getBucket());
            try {
                replicas.applyLeadership(bucket, new Replica.Leadership(state.getLeader(), state.getLeaderEpoch(),
                        state.getIsrList(), state.getReplicasList(), state.getBucketVersion()));
            } catch (RuntimeException e) {
                LOG.warn("Cannot apply leadership of {}: {}", bucket, e.toString());
                Errors error = Errors.forException(e);
                response.addBuckets(BucketError.newBuilder().setBucket(state.getBucket()).setErrorCode(error.code())
                        .setErrorMessage(String.valueOf(e.getMessage())));
            }
        }
        return response.build();
    }

    private OffsetForLeaderEpochResponse offsetForLeaderEpoch(OffsetForLeaderEpochRequest request) {
        OffsetForLeaderEpochResponse.Builder response = OffsetForLeaderEpochResponse.newBuilder();
        for (EpochQuery query : request.getBucketsList()) {
            EpochEndResult.Builder result = EpochEndResult.newBuilder().setBucket(query.getBucket());
            try {
                Replica replica = replicas.leaderReplica(BucketRefs.toTableBucket(query.getBucket()));
                replica.checkEpoch(query.getCurrentLeaderEpoch());
                LeaderEpochCache.EpochEnd end = replica.log().endOfEpoch(query.getLeaderEpoch());
                result.setLeaderEpoch(end.epoch()).setEndOffset(end.endOffset());
            } catch (RuntimeException e) {
                Errors error = Errors.forException(e);
                result.setErrorCode(error.code()).setErrorMessage(String.valueOf(e.getMessage()));
            }
            response.addBuckets(result);
        }
        return response.build();
    }
}
