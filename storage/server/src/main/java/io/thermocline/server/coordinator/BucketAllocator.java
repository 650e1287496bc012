package io.thermocline.server.coordinator;

import io.thermocline.common.metadata.TableBucket;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Places the buckets of a new table or partition on the live tablet servers and names their first leaders. */
final class BucketAllocator {
    private final ZooKeeperMetadataStore store;

    BucketAllocator(ZooKeeperMetadataStore store) {
        this.store = store;
    }

    /** {@code seed} (a table or partition id) varies where the first bucket lands. */
    BucketAssignment assign(int bucketCount, int replicationFactor, long seed) {
        List<Integer> servers = new ArrayList<>(store.tabletServers().keySet());
        return new BucketAssignment(BucketPlacement.assign(bucketCount, replicationFactor, servers,
                (int) (seed % Math.max(1, servers.size()))));
    }

    /** The preferred replica leads first, at leader epoch 0, with every replica in sync. */
    void writeFirstLeaders(long tableId, long partitionId, BucketAssignment assignment, int coordinatorEpoch) {
        for (Map.Entry<Integer, List<Integer>> bucket : assignment.replicas().entrySet()) {
            List<Integer> replicas = bucket.getValue();
            store.compareAndSetLeaderAndIsr(new TableBucket(tableId, partitionId, bucket.getKey()),
                    new LeaderAndIsr(replicas.get(0), 0, replicas, coordinatorEpoch), -1);
        }
    }
}
