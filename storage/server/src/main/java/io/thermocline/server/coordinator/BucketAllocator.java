package io.thermocline.server.coordinator;

import io.thermocline.common.config.TableOptions;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

    /** The cluster's tablet servers, live or down (down ones come back and catch up). */
    int memberServers() {
        return members().size();
    }

    /** Drained servers are no members, even while they still run. */
    private Set<Integer> members() {
        return new TreeSet<>(store.servers().known().keySet());
    }

    /**
     * Places every replica the factor asks for on the cluster's servers, down ones included: a
     * server that is down for a while must not leave new buckets short of replicas for good. But
     * each bucket needs {@code minInSync} live replicas now, or no write could be acknowledged.
     * {@code seed} (a table or partition id) varies where the first bucket lands; {@code what}
     * names the table or partition in errors.
     */
    BucketAssignment assign(String what, int bucketCount, int replicationFactor, int minInSync, long seed) {
        List<Integer> servers = new ArrayList<>(members());
        Set<Integer> live = store.servers().live().keySet();
        Map<Integer, List<Integer>> replicas;
        try {
            replicas = BucketPlacement.assign(bucketCount, replicationFactor, servers,
                    (int) (seed % Math.max(1, servers.size())));
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(what + ": " + e.getMessage());
        }
        for (Map.Entry<Integer, List<Integer>> bucket : replicas.entrySet()) {
            List<Integer> up = bucket.getValue().stream().filter(live::contains).toList();
            if (up.size() < minInSync) {
                List<Integer> down = bucket.getValue().stream().filter(s -> !live.contains(s)).toList();
                throw new InvalidRequestException(what + ": bucket " + bucket.getKey() + " would have " + up.size()
                        + " live replicas of " + bucket.getValue() + " (servers " + down + " are down), fewer than its "
                        + TableOptions.MIN_INSYNC_REPLICAS.key() + " " + minInSync + "; no write could be acknowledged."
                        + " Start those servers, or create it with a lower replication factor or min ISR");
            }
        }
        return new BucketAssignment(replicas);
    }

    /**
     * The first live replica in preferred order leads first, at leader epoch 0, with the live
     * replicas in sync (the others join once they are back and caught up); returns once the
     * replicas have heard of it, so that writers can start at once.
     */
    void writeFirstLeaders(long tableId, long partitionId, BucketAssignment assignment, int coordinatorEpoch) {
        Set<Integer> live = store.servers().live().keySet();
        for (Map.Entry<Integer, List<Integer>> bucket : assignment.replicas().entrySet()) {
            List<Integer> replicas = bucket.getValue();
            List<Integer> inSync = replicas.stream().filter(live::contains).toList();
            List<Integer> isr = inSync.isEmpty() ? replicas : inSync;
            store.leadership().compareAndSetLeaderAndIsr(new TableBucket(tableId, partitionId, bucket.getKey()),
                    new LeaderAndIsr(isr.get(0), 0, isr, coordinatorEpoch), -1, coordinatorEpoch);
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
