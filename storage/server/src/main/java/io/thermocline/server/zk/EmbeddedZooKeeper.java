package io.thermocline.server.zk;

import io.thermocline.common.exception.ThermoclineStorageException;

import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real, single-node ZooKeeper server inside this JVM, for {@code thermocline local} and tests.
 * Its data lives in a directory, so a restart keeps all metadata. Production uses an external
 * ensemble instead.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private static final int TICK_MS = 500;

    private final ZooKeeperServer server;
    private final ServerCnxnFactory connections;

    private EmbeddedZooKeeper(ZooKeeperServer server, ServerCnxnFactory connections) {
        this.server = server;
        this.connections = connections;
    }

    /** Starts on {@code host:port} (0 picks a free port) with its data under {@code dataDir}. */
    public static EmbeddedZooKeeper start(Path dataDir, String host, int port) {
        try {
            Files.createDirectories(dataDir);
            ZooKeeperServer server = new ZooKeeperServer(dataDir.toFile(), dataDir.toFile(), TICK_MS);
            ServerCnxnFactory connections = ServerCnxnFactory.createFactory(new InetSocketAddress(host, port), 1000);
            connections.startup(server);
            return new EmbeddedZooKeeper(server, connections);
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot start ZooKeeper in " + dataDir + " on " + host + ":" + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting ZooKeeper", e);
        }
    }

    public int port() {
        return connections.getLocalPort();
    }

    /** The connect string for clients. */
    public String connectString() {
        return connections.getLocalAddress().getHostString() + ":" + port();
    }

    @Override
    public void close() {
        connections.shutdown();
        server.shutdown();
    }
}
