package io.thermocline.server.coordinator;

import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.messages.BucketLocation;
import io.thermocline.rpc.messages.ServerNode;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.TabletServerRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.util.ArrayList;
import java.util.List;

/** Where the buckets of a table or partition are served, as metadata responses tell clients. */
final class BucketLocations {
    private BucketLocations() {}

    static List<BucketLocation> of(ZooKeeperMetadataStore store, long tableId, long partitionId, int bucketCount) {
        BucketAssignment assignment = store.assignment(tableId, partitionId);
        List<BucketLocation> locations = new ArrayList<>(bucketCount);
        for (int bucket = 0; bucket < bucketCount; bucket++) {
            BucketLocation.Builder location = BucketLocation.newBuilder().setBucket(bucket)
                    .addAllReplicas(assignment.replicas().get(bucket));
            store.leaderAndIsr(new TableBucket(tableId, partitionId, bucket)).ifPresentOrElse(
                    leader -> location.setLeader(leader.value().leader())
                            .setLeaderEpoch(leader.value().leaderEpoch())
                            .addAllIsr(leader.value().isr()),
                    () -> location.setLeader(-1).setLeaderEpoch(-1));
            locations.add(location.build());
        }
        return locations;
    }

    /** The live tablet servers, so that a client can reach the bucket leaders. */
    static List<ServerNode> servers(ZooKeeperMetadataStore store) {
        List<ServerNode> nodes = new ArrayList<>();
        for (TabletServerRegistration server : store.tabletServers().values()) {
            nodes.add(ServerNode.newBuilder().setId(server.id()).setHost(server.host()).setPort(server.port())
                    .setRack(server.rack() == null ? "" : server.rack()).build());
        }
        return nodes;
    }
}
