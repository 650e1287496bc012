package io.thermocline.server.tablet;

import io.thermocline.common.exception.NetworkException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.client.ConnectionCache;
import io.thermocline.rpc.client.RpcClient;
import io.thermocline.rpc.client.ServerConnection;
import io.thermocline.rpc.messages.AdjustIsrBucket;
import io.thermocline.rpc.messages.AdjustIsrRequest;
import io.thermocline.rpc.messages.AdjustIsrResponse;
import io.thermocline.rpc.messages.AdjustIsrResult;
import io.thermocline.rpc.messages.ControlledShutdownRequest;
import io.thermocline.rpc.messages.ControlledShutdownResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.BucketRefs;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.server.zk.CoordinatorElection;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * This tablet server's requests to the active coordinator, found through ZooKeeper: ISR changes
 * the buckets it leads propose, and controlled shutdown.
 */
final class CoordinatorGateway implements Replica.IsrChanges {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorGateway.class);

    private final int serverId;
    private final ConnectionCache connections;
    private final ZooKeeperMetadataStore store;

    CoordinatorGateway(int serverId, RpcClient rpc, ZooKeeperMetadataStore store) {
        this.serverId = serverId;
        this.connections = new ConnectionCache(rpc);
        this.store = store;
    }

    @Override
    public void propose(Replica replica, int leaderEpoch, Set<Integer> newIsr, int bucketVersion) {
        TableBucket bucket = replica.bucket();
        AdjustIsrRequest request = AdjustIsrRequest.newBuilder().setServerId(serverId)
                .addBuckets(AdjustIsrBucket.newBuilder().setBucket(BucketRefs.of(bucket)).setLeaderEpoch(leaderEpoch)
                        .addAllNewIsr(newIsr).setBucketVersion(bucketVersion))
                .build();
        coordinator().thenCompose(c -> c.send(ApiKeys.ADJUST_ISR, request, AdjustIsrResponse.parser()))
                .whenComplete((response, error) -> {
                    if (error != null) {
                        LOG.debug("ISR change of {} to {} not delivered: {}", bucket, newIsr, error.toString());
                        replica.onIsrProposalFailed();
                        return;
                    }
                    AdjustIsrResult result = response.getBuckets(0);
                    if (result.getErrorCode() != Errors.NONE.code()) {
                        LOG.info("ISR change of {} to {} refused: {}", bucket, newIsr, result.getErrorMessage());
                        if (result.getBucketVersion() > bucketVersion) {
                            // An announcement got lost: adopt the state the coordinator sent back instead.
                            replica.onIsrCommitted(result.getLeaderEpoch(), new HashSet<>(result.getIsrList()),
                                    result.getBucketVersion());
                        } else {
                            replica.onIsrProposalFailed();
                        }
                        return;
                    }
                    LOG.info("ISR of {} is now {} (epoch {})", bucket, result.getIsrList(), result.getLeaderEpoch());
                    replica.onIsrCommitted(result.getLeaderEpoch(), new HashSet<>(result.getIsrList()),
                            result.getBucketVersion());
                });
    }

    /** Asks the coordinator to move this server's leaderships away; completes with how many remain. */
    CompletableFuture<Integer> controlledShutdown() {
        return coordinator().thenCompose(c -> c.send(ApiKeys.CONTROLLED_SHUTDOWN,
                        ControlledShutdownRequest.newBuilder().setServerId(serverId).build(),
                        ControlledShutdownResponse.parser()))
                .thenApply(ControlledShutdownResponse::getRemainingLeaders);
    }

    /** Reading who is active may wait on ZooKeeper: off the caller's thread, so callers' timeouts hold. */
    private CompletableFuture<ServerConnection> coordinator() {
        return CompletableFuture.supplyAsync(() -> CoordinatorElection.active(store)).thenCompose(active -> active.isEmpty()
                ? CompletableFuture.failedFuture(new NetworkException("No coordinator is active"))
                : connections.get(active.get().host(), active.get().port()));
    }
}
