package io.thermocline.server.zk;

import io.thermocline.server.zk.ZkRecords.TabletServerRegistration;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster's tablet servers in ZooKeeper: the live ones (ephemeral registrations) and the
 * members (every server that registered once and was not forgotten, live or down).
 */
public final class ServerRegistry {
    private final CuratorFramework curator;

    ServerRegistry(CuratorFramework curator) {
        this.curator = curator;
    }

    /**
     * Registers a live tablet server; its node vanishes with the session. The server is
     * also remembered as a member of the cluster for good, until {@link #forget}.
     */
    public void register(TabletServerRegistration registration) {
        String path = ZkPaths.server(registration.id());
        try {
            curator.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                    .forPath(path, ZkRecords.toBytes(registration));
            String known = ZkPaths.knownServer(registration.id());
            try {
                curator.create().creatingParentsIfNeeded().forPath(known, ZkRecords.toBytes(registration));
            } catch (KeeperException.NodeExistsException e) {
                curator.setData().forPath(known, ZkRecords.toBytes(registration));
            }
        } catch (KeeperException.NodeExistsException e) {
            throw new IllegalStateException("Tablet server id " + registration.id()
                    + " is already registered by a live server: " + ZkNodes.read(curator, path, TabletServerRegistration.class).orElse(null));
        } catch (Exception e) {
            throw ZkNodes.failure("register tablet server " + registration.id(), e);
        }
    }

    /** Live tablet servers by id. */
    public Map<Integer, TabletServerRegistration> live() {
        Map<Integer, TabletServerRegistration> servers = new TreeMap<>();
        for (String id : ZkNodes.children(curator, ZkPaths.SERVERS)) {
            ZkNodes.read(curator, ZkPaths.SERVERS + "/" + id, TabletServerRegistration.class)
                    .ifPresent(r -> servers.put(Integer.parseInt(id), r));
        }
        return servers;
    }

    /** Every tablet server that registered once and was not forgotten, live or not, by id. */
    public Map<Integer, TabletServerRegistration> known() {
        Map<Integer, TabletServerRegistration> servers = new TreeMap<>();
        for (String id : ZkNodes.children(curator, ZkPaths.KNOWN_SERVERS)) {
            ZkNodes.read(curator, ZkPaths.KNOWN_SERVERS + "/" + id, TabletServerRegistration.class)
                    .ifPresent(r -> servers.put(Integer.parseInt(id), r));
        }
        return servers;
    }

    /** A retired server is no longer a member: new buckets are not placed on it. Returns whether it was one. */
    public boolean forget(int id) {
        try {
            curator.delete().forPath(ZkPaths.knownServer(id));
            return true;
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            throw ZkNodes.failure("forget tablet server " + id, e);
        }
    }

    /**
     * Calls {@code onChange} (on a ZooKeeper thread) whenever a tablet server registers or its
     * registration vanishes; close the result to stop watching.
     */
    public AutoCloseable watch(Runnable onChange) {
        CuratorCache cache = CuratorCache.build(curator, ZkPaths.SERVERS);
        cache.listenable().addListener(CuratorCacheListener.builder().forAll((type, before, after) -> onChange.run())
                .forInitialized(onChange).build());
        cache.start();
        return cache::close;
    }
}
