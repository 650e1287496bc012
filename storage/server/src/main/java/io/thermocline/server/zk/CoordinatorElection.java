package io.thermocline.server.zk;

import io.thermocline.common.exception.ThermoclineStorageException;
import io.thermocline.server.zk.ZkRecords.CoordinatorRegistration;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Elects one active coordinator among several. The winner bumps the coordinator epoch (a
 * compare-and-set counter), so that every command it writes can carry an epoch that fences a
 * deposed coordinator, then advertises itself in an ephemeral node. Standbys wait in the latch
 * and take over when the active one's session ends.
 */
public final class CoordinatorElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorElection.class);

    /** Told when this coordinator becomes active or stops being active. */
    public interface Listener {
        void onActive(int epoch);

        void onInactive();
    }

    private final CuratorFramework curator;
    private final CoordinatorRegistration self;
    private final LeaderLatch latch;
    private volatile int epoch = -1;

    public CoordinatorElection(ZooKeeperMetadataStore store, String id, String host, int port, Listener listener) {
        this.curator = store.curator();
        this.self = new CoordinatorRegistration(id, host, port, -1);
        this.latch = new LeaderLatch(curator, ZkPaths.COORDINATOR_ELECTION, id);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                try {
                    epoch = bumpEpoch();
                    advertise(epoch);
                    LOG.info("Coordinator {} is active with epoch {}", id, epoch);
                    listener.onActive(epoch);
                } catch (RuntimeException e) {
                    LOG.error("Coordinator {} won the election but could not take over", id, e);
                }
            }

            @Override
            public void notLeader() {
                LOG.info("Coordinator {} is no longer active", id);
                epoch = -1;
                listener.onInactive();
            }
        });
    }

    public CoordinatorElection start() {
        try {
            latch.start();
        } catch (Exception e) {
            throw new ThermoclineStorageException("Cannot join the coordinator election", e);
        }
        return this;
    }

    public boolean isActive() {
        return latch.hasLeadership() && epoch >= 0;
    }

    /** This coordinator's epoch while active, else -1. */
    public int epoch() {
        return epoch;
    }

    /** The active coordinator as advertised, if any. */
    public static Optional<CoordinatorRegistration> active(ZooKeeperMetadataStore store) {
        try {
            byte[] bytes = store.curator().getData().forPath(ZkPaths.COORDINATOR_ACTIVE);
            return Optional.of(ZkRecords.fromBytes(bytes, CoordinatorRegistration.class, ZkPaths.COORDINATOR_ACTIVE));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new ThermoclineStorageException("Cannot read the active coordinator", e);
        }
    }

    private int bumpEpoch() {
        try {
            while (true) {
                Stat stat = new Stat();
                int current;
                try {
                    current = ByteBuffer.wrap(curator.getData().storingStatIn(stat).forPath(ZkPaths.COORDINATOR_EPOCH)).getInt();
                } catch (KeeperException.NoNodeException e) {
                    try {
                        curator.create().creatingParentsIfNeeded()
                                .forPath(ZkPaths.COORDINATOR_EPOCH, ByteBuffer.allocate(4).putInt(0).array());
                        return 0;
                    } catch (KeeperException.NodeExistsException raced) {
                        continue;
                    }
                }
                // Epoch = the node's version, so that a leader write can fence on it in its transaction.
                int next = stat.getVersion() + 1;
                if (current != stat.getVersion()) {
                    LOG.warn("Coordinator epoch {} was not its node's version {}; continuing from the version", current,
                            stat.getVersion());
                }
                try {
                    curator.setData().withVersion(stat.getVersion())
                            .forPath(ZkPaths.COORDINATOR_EPOCH, ByteBuffer.allocate(4).putInt(next).array());
                    return next;
                } catch (KeeperException.BadVersionException raced) {
                    // another coordinator moved it: read again
                }
            }
        } catch (Exception e) {
            throw new ThermoclineStorageException("Cannot bump the coordinator epoch", e);
        }
    }

    private void advertise(int newEpoch) {
        byte[] data = ZkRecords.toBytes(new CoordinatorRegistration(self.id(), self.host(), self.port(), newEpoch));
        try {
            // A node left by the previous coordinator's closing session is stale: we hold the latch.
            try {
                curator.delete().forPath(ZkPaths.COORDINATOR_ACTIVE);
            } catch (KeeperException.NoNodeException ignored) {
                // none
            }
            curator.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                    .forPath(ZkPaths.COORDINATOR_ACTIVE, data);
        } catch (Exception e) {
            throw new ThermoclineStorageException("Cannot advertise the active coordinator", e);
        }
    }

    @Override
    public void close() {
        try {
            latch.close(LeaderLatch.CloseMode.NOTIFY_LEADER);
        } catch (IOException | IllegalStateException e) {
            LOG.debug("Closing the coordinator election", e);
        }
    }
}
