package io.thermocline.server.zk;

import io.thermocline.common.exception.ThermoclineStorageException;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Reads shared by the metadata stores, and how ZooKeeper failures reach callers. */
final class ZkNodes {
    private ZkNodes() {}

    static <T> Optional<T> read(CuratorFramework curator, String path, Class<T> type) {
        try {
            return Optional.of(ZkRecords.fromBytes(curator.getData().forPath(path), type, path));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw failure("read " + path, e);
        }
    }

    static List<String> children(CuratorFramework curator, String path) {
        try {
            return curator.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return Collections.emptyList();
        } catch (Exception e) {
            throw failure("list " + path, e);
        }
    }

    /** API exceptions pass as they are; anything else from ZooKeeper becomes a storage exception naming what failed. */
    static RuntimeException failure(String what, Exception e) {
        if (e instanceof RuntimeException) {
            return (RuntimeException) e;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new ThermoclineStorageException("ZooKeeper could not " + what + ": " + e.getMessage(), e);
    }
}
