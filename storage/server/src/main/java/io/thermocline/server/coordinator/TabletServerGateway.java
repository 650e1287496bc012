package io.thermocline.server.coordinator;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.client.ConnectionCache;
import io.thermocline.rpc.client.RpcClient;
import io.thermocline.rpc.client.ServerConnection;
import io.thermocline.rpc.messages.BucketLeaderAndIsr;
import io.thermocline.rpc.messages.NotifyLeaderAndIsrRequest;
import io.thermocline.rpc.messages.NotifyLeaderAndIsrResponse;
import io.thermocline.rpc.messages.StopReplica;
import io.thermocline.rpc.messages.StopReplicasRequest;
import io.thermocline.rpc.messages.StopReplicasResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.BucketRefs;
import io.thermocline.server.zk.ZkRecords.TabletServerRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's commands to tablet servers, one connection per server address. A command to a
 * server that is down is dropped: a server is told its leaderships when it registers, and deletes
 * data of dropped tables when it starts.
 */
final class TabletServerGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TabletServerGateway.class);
    /** How long an announcement is retried while its server stays registered and silent. */
    private static final java.time.Duration NOTIFY_PATIENCE = java.time.Duration.ofMinutes(2);

    private final ZooKeeperMetadataStore store;
    private final RpcClient client;
    private final ConnectionCache connections;

    TabletServerGateway(ZooKeeperMetadataStore store, Configuration conf) {
        this.store = store;
        this.client = new RpcClient(conf);
        this.connections = new ConnectionCache(client);
    }

    /** Tells each live server among the buckets' replicas to stop serving them and delete their data. */
    CompletableFuture<Void> deleteReplicas(Map<Integer, ? extends Collection<TableBucket>> bucketsByServer, int coordinatorEpoch) {
        Map<Integer, TabletServerRegistration> live = store.servers().live();
        CompletableFuture<?>[] sends = bucketsByServer.entrySet().stream()
                .filter(e -> live.containsKey(e.getKey()))
                .map(e -> stopReplicas(live.get(e.getKey()), e.getValue(), true, coordinatorEpoch))
                .toArray(CompletableFuture<?>[]::new);
        return CompletableFuture.allOf(sends);
    }

    /**
     * Tells a server who leads its buckets, trying a few times: a server that keeps missing it is
     * told everything again when it re-registers.
     */
    CompletableFuture<Void> notifyLeaderAndIsr(int serverId, long incarnation, List<BucketLeaderAndIsr> buckets,
            int coordinatorEpoch) {
        NotifyLeaderAndIsrRequest request = NotifyLeaderAndIsrRequest.newBuilder()
                .setCoordinatorEpoch(coordinatorEpoch).setServerIncarnation(incarnation).addAllBuckets(buckets).build();
        CompletableFuture<Void> done = new CompletableFuture<>();
        sendNotify(serverId, request, System.nanoTime() + NOTIFY_PATIENCE.toNanos(), done);
        return done;
    }

    /**
     * Retries until the server answers, restarts or leaves: a server that never hears of its buckets
     * would never fetch and never rejoin an ISR.
     */
    private void sendNotify(int serverId, NotifyLeaderAndIsrRequest request, long deadlineNanos, CompletableFuture<Void> done) {
        TabletServerRegistration server = store.servers().live().get(serverId);
        if (server == null || server.registeredAt() != request.getServerIncarnation()) {
            done.complete(null); // gone or restarted: it learns everything when it registers again
            return;
        }
        connection(server)
                .thenCompose(c -> c.send(ApiKeys.NOTIFY_LEADER_AND_ISR, request, NotifyLeaderAndIsrResponse.parser()))
                .whenComplete((response, error) -> {
                    if (error == null) {
                        response.getBucketsList().forEach(e -> LOG.warn("Tablet server {} refused the leadership of {}: {}",
                                serverId, BucketRefs.toTableBucket(e.getBucket()), e.getErrorMessage()));
                        done.complete(null);
                    } else if (System.nanoTime() < deadlineNanos) {
                        LOG.debug("Tablet server {} did not take leaderships yet: {}", serverId, error.toString());
                        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS)
                                .execute(() -> sendNotify(serverId, request, deadlineNanos, done));
                    } else {
                        LOG.warn("Tablet server {} did not get {} leaderships: {}", serverId, request.getBucketsCount(),
                                error.toString());
                        done.complete(null);
                    }
                });
    }

    private CompletableFuture<StopReplicasResponse> stopReplicas(TabletServerRegistration server,
            Collection<TableBucket> buckets, boolean delete, int coordinatorEpoch) {
        StopReplicasRequest.Builder request = StopReplicasRequest.newBuilder()
                .setCoordinatorEpoch(coordinatorEpoch).setDelete(delete);
        for (TableBucket bucket : buckets) {
            StopReplica.Builder replica = StopReplica.newBuilder().setTableId(bucket.tableId()).setBucket(bucket.bucket());
            if (bucket.isPartitioned()) {
                replica.setPartitionId(bucket.partitionId());
            }
            request.addReplicas(replica);
        }
        return connection(server)
                .thenCompose(c -> c.send(ApiKeys.STOP_REPLICAS, request.build(), StopReplicasResponse.parser()))
                .whenComplete((response, error) -> {
                    if (error != null) {
                        LOG.warn("Tablet server {} did not stop {} replicas ({}); it cleans up when it next starts",
                                server.id(), buckets.size(), error.toString());
                    }
                });
    }

    private CompletableFuture<ServerConnection> connection(TabletServerRegistration server) {
        return connections.get(server.host(), server.port());
    }

    static Map<Integer, List<TableBucket>> byServer(Map<Integer, List<Integer>> replicas, long tableId, long partitionId) {
        Map<Integer, List<TableBucket>> byServer = new java.util.TreeMap<>();
        replicas.forEach((bucket, servers) -> servers.forEach(server -> byServer
                .computeIfAbsent(server, s -> new java.util.ArrayList<>()).add(new TableBucket(tableId, partitionId, bucket))));
        return byServer;
    }

    @Override
    public void close() {
        client.close();
    }
}
