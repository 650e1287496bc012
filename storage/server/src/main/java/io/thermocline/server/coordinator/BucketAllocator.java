package io.thermocline.server.coordinator;

import io.thermocline.common.metadata.TableBucket;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Places the buckets of a new table or partition on the live tablet servers and names their first leaders. */
final class BucketAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(BucketAllocator.class);

    /** How long DDL waits for the replicas of new buckets to hear of their leaders. */
    private static final long ANNOUNCE_TIMEOUT_MS = 30_000;

    private final ZooKeeperMetadataStore store;
    private final ReplicationController replication;

    BucketAllocator(ZooKeeperMetadataStore store, ReplicationController replication) {
        this.store = store;
        this.replication = replication;
    }

    /** Live tablet servers now. */
    int liveServers() {
        return store.tabletServers().size();
    }

    /** {@code seed} (a table or partition id) varies where the first bucket lands. */
    BucketAssignment assign(int bucketCount, int replicationFactor, long seed) {
        List<Integer> servers = new ArrayList<>(store.tabletServers().keySet());
        return new BucketAssignment(BucketPlacement.assign(bucketCount, replicationFactor, servers,
                (int) (seed % Math.max(1, servers.size()))));
    }

    /**
     * The preferred replica leads first, at leader epoch 0, with every replica in sync; returns
     * once the replicas have heard of it, so that writers can start at once.
     */
    void writeFirstLeaders(long tableId, long partitionId, BucketAssignment assignment, int coordinatorEpoch) {
        for (Map.Entry<Integer, List<Integer>> bucket : assignment.replicas().entrySet()) {
            List<Integer> replicas = bucket.getValue();
            store.compareAndSetLeaderAndIsr(new TableBucket(tableId, partitionId, bucket.getKey()),
                    new LeaderAndIsr(replicas.get(0), 0, replicas, coordinatorEpoch), -1);
        }
        try {
            replication.bucketsCreated(tableId, partitionId).get(ANNOUNCE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The buckets exist; replicas learn of them when they next register, and writers retry meanwhile.
            LOG.warn("Replicas of table id {} partition {} not told of their leaders yet: {}", tableId, partitionId,
                    e.toString());
        }
    }

    /** Dropped buckets are no longer the replication controller's to manage. */
    void forget(long tableId, long partitionId, boolean wholeTable) {
        replication.bucketsDropped(tableId, partitionId, wholeTable);
    }
}
