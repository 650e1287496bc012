package io.thermocline.server.zk;

import io.thermocline.common.exception.NotCoordinatorException;
import io.thermocline.common.exception.PartitionNotExistException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.server.zk.ZkRecords.BucketAssignment;
import io.thermocline.server.zk.ZkRecords.LeaderAndIsr;
import io.thermocline.server.zk.ZkRecords.Reassignment;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where every bucket's replicas are and who leads them: the assignments, each bucket's leader and
 * ISR, and the coordinator epoch that fences what the active coordinator writes about them.
 */
public final class LeadershipStore {
    private final CuratorFramework curator;

    LeadershipStore(CuratorFramework curator) {
        this.curator = curator;
    }

    /** The bucket assignment of a table, or of one of its partitions. */
    public BucketAssignment assignment(long tableId, long partitionId) {
        return ZkNodes.read(curator, ZkPaths.assignment(tableId, partitionId), BucketAssignment.class)
                .orElseThrow(() -> partitionId == TableBucket.NO_PARTITION
                        ? new TableNotExistException("Table id " + tableId + " has no bucket assignment")
                        : new PartitionNotExistException("Partition id " + partitionId + " of table id " + tableId
                                + " does not exist"));
    }

    /** A value with the ZooKeeper version it was read at, for compare-and-set. */
    public record Versioned<T>(T value, int version) {}

    public Optional<Versioned<LeaderAndIsr>> leaderAndIsr(TableBucket bucket) {
        String path = ZkPaths.leader(bucket);
        try {
            Stat stat = new Stat();
            byte[] bytes = curator.getData().storingStatIn(stat).forPath(path);
            return Optional.of(new Versioned<>(ZkRecords.fromBytes(bytes, LeaderAndIsr.class, path), stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw ZkNodes.failure("read the leader of " + bucket, e);
        }
    }

    /**
     * Writes a bucket's leader and ISR if it is still at {@code expectedVersion} (-1: not yet
     * written) and {@code coordinatorEpoch} is still the coordinators' epoch, in one transaction:
     * a deposed coordinator that wakes from a pause changes nothing. Returns false when someone
     * changed the bucket meanwhile (re-read and decide again); throws
     * {@link NotCoordinatorException} when a newer coordinator took over.
     */
    public boolean compareAndSetLeaderAndIsr(TableBucket bucket, LeaderAndIsr value, int expectedVersion,
            int coordinatorEpoch) {
        String path = ZkPaths.leader(bucket);
        try {
            ensureParentsOf(path);
            fenced(coordinatorEpoch, expectedVersion < 0
                    ? curator.transactionOp().create().forPath(path, ZkRecords.toBytes(value))
                    : curator.transactionOp().setData().withVersion(expectedVersion).forPath(path, ZkRecords.toBytes(value)));
            return true;
        } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException e) {
            requireEpoch(coordinatorEpoch, "the leadership of " + bucket);
            return false;
        } catch (Exception e) {
            throw ZkNodes.failure("write the leader of " + bucket, e);
        }
    }

    /**
     * Sets the replicas of one bucket in its table's (or partition's) assignment, fenced by
     * coordinator epoch like every leadership write.
     */
    public void setReplicas(TableBucket bucket, List<Integer> replicas, int coordinatorEpoch) {
        String path = ZkPaths.assignment(bucket.tableId(), bucket.partitionId());
        try {
            while (true) {
                Stat stat = new Stat();
                BucketAssignment current = ZkRecords.fromBytes(curator.getData().storingStatIn(stat).forPath(path),
                        BucketAssignment.class, path);
                Map<Integer, List<Integer>> next = new TreeMap<>(current.replicas());
                next.put(bucket.bucket(), List.copyOf(replicas));
                try {
                    fenced(coordinatorEpoch, curator.transactionOp().setData().withVersion(stat.getVersion())
                            .forPath(path, ZkRecords.toBytes(new BucketAssignment(next))));
                    return;
                } catch (KeeperException.BadVersionException e) {
                    requireEpoch(coordinatorEpoch, "the replicas of " + bucket);
                    // the assignment of another bucket changed meanwhile: read again
                }
            }
        } catch (KeeperException.NoNodeException e) {
            throw new TableNotExistException("Table id " + bucket.tableId() + " has no bucket assignment for " + bucket);
        } catch (Exception e) {
            throw ZkNodes.failure("set the replicas of " + bucket, e);
        }
    }

    /** Where a bucket is being moved to, while a reassignment of it is under way. */
    public Optional<List<Integer>> reassignmentTarget(TableBucket bucket) {
        return ZkNodes.read(curator, ZkPaths.reassignment(bucket), Reassignment.class).map(Reassignment::target);
    }

    /** Records, or with {@code target} null clears, where a bucket is being moved to; fenced by coordinator epoch. */
    public void setReassignmentTarget(TableBucket bucket, List<Integer> target, int coordinatorEpoch) {
        String path = ZkPaths.reassignment(bucket);
        try {
            ensureParentsOf(path);
            boolean exists = curator.checkExists().forPath(path) != null;
            if (target == null) {
                if (exists) {
                    fenced(coordinatorEpoch, curator.transactionOp().delete().forPath(path));
                }
            } else {
                byte[] bytes = ZkRecords.toBytes(new Reassignment(List.copyOf(target)));
                fenced(coordinatorEpoch, exists ? curator.transactionOp().setData().forPath(path, bytes)
                        : curator.transactionOp().create().forPath(path, bytes));
            }
        } catch (KeeperException.BadVersionException e) {
            requireEpoch(coordinatorEpoch, "the reassignment of " + bucket);
            throw ZkNodes.failure("record the reassignment of " + bucket, e);
        } catch (Exception e) {
            throw ZkNodes.failure("record the reassignment of " + bucket, e);
        }
    }

    /**
     * Runs {@code write} in one transaction with a check that {@code coordinatorEpoch} is still
     * current. The epoch node is only ever written by an election's bump, one version per epoch:
     * its version is the epoch.
     */
    private void fenced(int coordinatorEpoch, CuratorOp write) throws Exception {
        CuratorOp fence = curator.transactionOp().check().withVersion(coordinatorEpoch).forPath(ZkPaths.COORDINATOR_EPOCH);
        curator.transaction().forOperations(fence, write);
    }

    private void requireEpoch(int coordinatorEpoch, String what) {
        int current = coordinatorEpoch();
        if (current != coordinatorEpoch) {
            throw new NotCoordinatorException("Coordinator epoch " + coordinatorEpoch + " was superseded by epoch "
                    + current + ": " + what + " is not this coordinator's to change");
        }
    }

    /** The coordinators' current epoch, -1 before the first election. */
    public int coordinatorEpoch() {
        try {
            return ByteBuffer.wrap(curator.getData().forPath(ZkPaths.COORDINATOR_EPOCH)).getInt();
        } catch (KeeperException.NoNodeException e) {
            return -1;
        } catch (Exception e) {
            throw ZkNodes.failure("read the coordinator epoch", e);
        }
    }

    private void ensureParentsOf(String path) throws Exception {
        String parent = path.substring(0, path.lastIndexOf('/'));
        if (curator.checkExists().forPath(parent) == null) {
            try {
                curator.create().creatingParentsIfNeeded().forPath(parent);
            } catch (KeeperException.NodeExistsException raced) {
                // made meanwhile
            }
        }
    }
}
