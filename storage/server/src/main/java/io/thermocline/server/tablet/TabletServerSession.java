package io.thermocline.server.tablet;

import io.thermocline.server.zk.ZkRecords.TabletServerRegistration;
import io.thermocline.server.zk.ZkSessionListener;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * A tablet server's life in ZooKeeper. It registers (an ephemeral node named by the time it was
 * made, its incarnation); when the connection drops it stops leading, since the coordinator may
 * hand its buckets to others once the session expires; when the session did expire it registers
 * again, and the coordinator, seeing a new incarnation, tells it who leads each of its buckets, so
 * that it follows where it no longer leads, catches up and rejoins the ISRs. No operator needed.
 */
final class TabletServerSession implements ZkSessionListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TabletServerSession.class);
    private static final long RETRY_MS = 200;

    private final int serverId;
    private final ZooKeeperMetadataStore store;
    private final ReplicaManager replicas;
    /** The registration to write for an incarnation. */
    private final LongFunction<TabletServerRegistration> registration;
    private final Duration sessionTimeout;
    private final ExecutorService registrar;
    private volatile long incarnation = -1;
    private volatile boolean closed;

    TabletServerSession(int serverId, ZooKeeperMetadataStore store, ReplicaManager replicas,
            LongFunction<TabletServerRegistration> registration, Duration sessionTimeout) {
        this.serverId = serverId;
        this.store = store;
        this.replicas = replicas;
        this.registration = registration;
        this.sessionTimeout = sessionTimeout;
        this.registrar = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "registration-" + serverId);
            t.setDaemon(true);
            return t;
        });
    }

    /** This process's current registration time, which the coordinator's announcements must name. */
    long incarnation() {
        return incarnation;
    }

    /**
     * Registers for the first time. A server restarted right after a crash finds its old node still
     * held by the dead session until that session expires: waits for it, at most one session
     * timeout and a half, then fails.
     */
    void register() {
        long deadline = System.nanoTime() + sessionTimeout.toNanos() * 3 / 2;
        while (true) {
            try {
                registerOnce();
                store.watchSession(this);
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                pause();
            }
        }
    }

    private void registerOnce() {
        long now = System.currentTimeMillis();
        // Set first: the coordinator may announce to the new incarnation before create() returns.
        incarnation = now;
        store.servers().register(registration.apply(now));
    }

    @Override
    public void onSuspended() {
        LOG.warn("Tablet server {} lost its connection to ZooKeeper; it takes no writes until it is back", serverId);
        replicas.fenceAll("its server lost its connection to ZooKeeper");
    }

    @Override
    public void onSessionLost() {
        LOG.warn("Tablet server {}'s ZooKeeper session expired; its buckets may be led elsewhere now", serverId);
        replicas.fenceAll("its server's ZooKeeper session expired");
    }

    @Override
    public void onReconnected(boolean newSession) {
        if (!newSession) {
            LOG.info("Tablet server {} is connected to ZooKeeper again, in the same session", serverId);
            replicas.unfenceAll();
            return;
        }
        registrar.execute(this::registerAgain);
    }

    /** Retries until registered or closed: a server that never registers again is lost to the cluster. */
    private void registerAgain() {
        while (!closed) {
            try {
                registerOnce();
                LOG.info("Tablet server {} registered again with a new ZooKeeper session (incarnation {})", serverId,
                        incarnation);
                return;
            } catch (RuntimeException e) {
                // Most often the old session's node, until the ensemble expires that session too.
                LOG.info("Tablet server {} cannot register again yet: {}", serverId, e.getMessage());
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while registering tablet server " + serverId, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        registrar.shutdownNow();
        try {
            registrar.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
