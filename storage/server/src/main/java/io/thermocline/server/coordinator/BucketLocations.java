package io.thermocline.server.coordinator;

import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.messages.BucketLocation;
import io.thermocline.rpc.messages.ServerNode;
import io.thermocline.rpc.security.SecurityProtocol;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.TabletServerRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.util.ArrayList;
import java.util.List;

/** Where the buckets of a table or partition are served, as metadata responses tell clients. */
final class BucketLocations {
    private BucketLocations() {}

    static List<BucketLocation> of(ZooKeeperMetadataStore store, long tableId, long partitionId, int bucketCount) {
        BucketAssignment assignment = store.leadership().assignment(tableId, partitionId);
        List<BucketLocation> locations = new ArrayList<>(bucketCount);
        for (int bucket = 0; bucket < bucketCount; bucket++) {
            BucketLocation.Builder location = BucketLocation.newBuilder().setBucket(bucket)
                    .addAllReplicas(assignment.replicas().get(bucket));
            store.leadership().leaderAndIsr(new TableBucket(tableId, partitionId, bucket)).ifPresentOrElse(
                    leader -> location.setLeader(leader.value().leader())
                            .setLeaderEpoch(leader.value().leaderEpoch())
                            .addAllIsr(leader.value().isr()),
                    () -> location.setLeader(-1).setLeaderEpoch(-1));
            locations.add(location.build());
        }
        return locations;
    }

    /**
     * The live tablet servers, so that a client can reach the bucket leaders: each at its listener
     * of the protocol the client's request came in on, so that it keeps its TLS and credentials.
     */
    static List<ServerNode> servers(ZooKeeperMetadataStore store, SecurityProtocol listener) {
        List<ServerNode> nodes = new ArrayList<>();
        for (TabletServerRegistration server : store.servers().live().values()) {
            String endpoint = server.endpoint(listener.name());
            int colon = endpoint.lastIndexOf(':');
            nodes.add(ServerNode.newBuilder().setId(server.id()).setHost(endpoint.substring(0, colon))
                    .setPort(Integer.parseInt(endpoint.substring(colon + 1)))
                    .setRack(server.rack() == null ? "" : server.rack()).build());
        }
        return nodes;
    }
}
