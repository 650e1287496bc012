package io.thermocline.server.tablet;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.internal.utils.Clock;
import io.thermocline.rpc.client.RpcClient;
import io.thermocline.rpc.messages.ApiVersionsRequest;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.security.SecurityProtocol;
import io.thermocline.rpc.server.ApiVersionsHandler;
import io.thermocline.rpc.server.RpcServer;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.kv.KvSnapshotStorage;
import io.thermocline.server.coordinator.CoordinatorServer;
import io.thermocline.server.log.LogConfig;
import io.thermocline.server.metrics.ServerMetrics;
import io.thermocline.server.security.Authorizer;
import io.thermocline.server.security.RequestAuthorizer;
import io.thermocline.server.security.ServerListeners;
import io.thermocline.server.security.WriterIds;
import io.thermocline.server.security.ZkCredentialStore;
import io.thermocline.server.zk.ZkRecords.TabletServerRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A tablet server process: listens for RPCs and registers itself in ZooKeeper for as long as it
 * lives, so that the coordinator places buckets on it; serves produce, fetch (with push reads)
 * and list-offsets on the buckets it leads, whose logs live under its data directory.
 */
public final class TabletServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TabletServer.class);

    private final Configuration conf;
    private final int id;
    private ZooKeeperMetadataStore store;
    private ServerListeners listeners;
    /** The listener other servers use. */
    private RpcServer rpcServer;
    private ServerMetrics metrics;
    private Authorizer authorizer;
    private ReplicaManager replicaManager;
    private KvSnapshotStorage snapshotStorage;
    private ExecutorService flusher;
    private ScheduledExecutorService maintenance;
    private RpcClient rpcClient;
    private CoordinatorGateway coordinatorGateway;
    /** Its registration in ZooKeeper, renewed when a session expires; announcements name its incarnation. */
    private TabletServerSession session;

    public TabletServer(Configuration conf) {
        this.conf = conf;
        Integer configured = conf.get(ServerOptions.TABLET_SERVER_ID);
        if (configured == null) {
            throw new InvalidConfigException("Option 'tablet-server.id' must be set for a tablet server");
        }
        this.id = configured;
    }

    public TabletServer start() {
        String zookeeper = conf.get(ServerOptions.ZOOKEEPER_ADDRESS);
        if (zookeeper == null) {
            throw new InvalidConfigException("Option 'zookeeper.address' must be set for tablet server " + id);
        }
        String dataDir = conf.get(ServerOptions.DATA_DIR);
        if (dataDir == null) {
            throw new InvalidConfigException("Option 'data.dir' must be set for tablet server " + id);
        }
        store = ZooKeeperMetadataStore.connect(zookeeper, conf.get(ServerOptions.ZOOKEEPER_ROOT),
                conf.get(ServerOptions.ZOOKEEPER_SESSION_TIMEOUT));
        flusher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "log-flusher-" + id);
            t.setDaemon(true);
            return t;
        });
        Path dir = Paths.get(dataDir);
        DataDirLayout.claim(dir, store.clusterId(), id);
        DataDirLayout.deleteDropped(dir, store, id);
        LogConfig logConfig = LogConfig.from(conf);
        rpcClient = new RpcClient(conf);
        coordinatorGateway = new CoordinatorGateway(id, rpcClient, store);
        snapshotStorage = KvSnapshotStorage.open(conf, Integer.toString(id));
        replicaManager = new ReplicaManager(id, dir, store, flusher, logConfig, Clock.SYSTEM, coordinatorGateway,
                new ReplicaFetchers(id, rpcClient, store), snapshotStorage);
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "log-maintenance-" + id);
            t.setDaemon(true);
            return t;
        });
        long retentionCheckMs = conf.get(ServerOptions.LOG_RETENTION_CHECK_INTERVAL).toMillis();
        maintenance.scheduleWithFixedDelay(replicaManager::deleteExpiredSegments, retentionCheckMs, retentionCheckMs,
                TimeUnit.MILLISECONDS);
        if (snapshotStorage != null) {
            long snapshotMs = conf.get(ServerOptions.KV_SNAPSHOT_INTERVAL).toMillis();
            maintenance.scheduleWithFixedDelay(replicaManager::snapshotKvs, snapshotMs, snapshotMs, TimeUnit.MILLISECONDS);
        }
        // Writes a RocksDB stall held back are applied, and acknowledged, as soon as it passes; a KV tablet that
        // failed to open is tried again.
        maintenance.scheduleWithFixedDelay(replicaManager::retryKvApplies, 50, 50, TimeUnit.MILLISECONDS);
        Duration maxLag = conf.get(ServerOptions.REPLICA_LAG_TIME_MAX);
        long isrCheckMs = Math.max(50, maxLag.toMillis() / 2);
        maintenance.scheduleWithFixedDelay(() -> replicaManager.shrinkLaggingIsrs(maxLag), isrCheckMs, isrCheckMs,
                TimeUnit.MILLISECONDS);
        if (logConfig.flushIntervalMs() > 0) {
            long flushCheckMs = Math.max(10, logConfig.flushIntervalMs() / 2);
            maintenance.scheduleWithFixedDelay(replicaManager::flushDueLogs, flushCheckMs, flushCheckMs,
                    TimeUnit.MILLISECONDS);
        }
        metrics = ServerMetrics.start(conf);
        authorizer = Authorizer.start(conf, store);
        RpcService.Builder service = RpcService.builder().observer(metrics)
                .guard(new RequestAuthorizer(authorizer,
                        tableId -> replicaManager.table(tableId).registration().path().toString()))
                .register(ApiKeys.API_VERSIONS, ApiVersionsRequest.parser(), new ApiVersionsHandler(CoordinatorServer.VERSION));
        new DataService(replicaManager, Clock.SYSTEM, new TabletServerMetrics(replicaManager, metrics.registry()),
                new WriterIds(store.clusterSecret()), (int) conf.get(ServerOptions.FETCH_MAX_BYTES).bytes(), conf.get(ServerOptions.PREFIX_LOOKUP_MAX_ROWS))
                .register(service);
        session = new TabletServerSession(id, store, replicaManager, incarnation -> new TabletServerRegistration(id,
                listeners.host(rpcServer.protocol()), rpcServer.port(), null, incarnation, listeners.endpoints()),
                conf.get(ServerOptions.ZOOKEEPER_SESSION_TIMEOUT));
        new ReplicaControlService(replicaManager, session::incarnation).register(service);
        listeners = ServerListeners.start(conf, service.build(), new ZkCredentialStore(store));
        rpcServer = listeners.interServer();
        try {
            session.register();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    public int id() {
        return id;
    }

    /** The port of the listener other servers use (the only one, unless {@code listeners} names more). */
    public int port() {
        return rpcServer.port();
    }

    public int port(SecurityProtocol protocol) {
        return listeners.port(protocol);
    }

    /** Client and server connections open on this server's listeners now. */
    public int openConnections() {
        return listeners.openConnections();
    }

    /** Where Prometheus metrics are served, or -1 when {@code metrics.port} is not set. */
    public int metricsPort() {
        return metrics.port();
    }

    /**
     * Stops politely: first has the coordinator move this server's leaderships to other in-sync
     * replicas (so writers see no outage), then stops taking requests, flushes every log, and ends
     * the session (the registration vanishes). Without ZooKeeper there is no coordinator to ask:
     * the polite part is skipped, and it never takes more than two thirds of {@code shutdown.timeout}.
     */
    @Override
    public void close() {
        if (coordinatorGateway != null && rpcServer != null) {
            if (store.isConnected()) {
                Duration bound = conf.get(ServerOptions.SHUTDOWN_TIMEOUT).multipliedBy(2).dividedBy(3);
                Duration controlled = conf.get(ServerOptions.CONTROLLED_SHUTDOWN_TIMEOUT);
                moveLeadershipsAway(controlled.compareTo(bound) < 0 ? controlled : bound);
            } else {
                LOG.warn("Tablet server {} cannot reach ZooKeeper: stopping without moving its leaderships first", id);
            }
        }
        stop();
    }

    /**
     * Stops without asking the coordinator to move leaderships first, as a crash would, except
     * that the registration vanishes at once instead of after the session timeout. For tests.
     */
    public void halt() {
        stop();
    }

    private void stop() {
        if (session != null) {
            session.close();
        }
        if (listeners != null) {
            listeners.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (authorizer != null) {
            authorizer.close();
        }
        if (maintenance != null) {
            // No interrupts: one during a log write would close the log's file channel.
            maintenance.shutdown();
            try {
                maintenance.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (replicaManager != null) {
            replicaManager.close();
        }
        if (snapshotStorage != null) {
            snapshotStorage.close();
        }
        if (flusher != null) {
            flusher.shutdown();
        }
        if (rpcClient != null) {
            rpcClient.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private void moveLeadershipsAway(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                int remaining = coordinatorGateway.controlledShutdown().get(
                        Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (remaining == 0) {
                    return;
                }
                LOG.info("Tablet server {} still leads {} buckets that can move; asking again", id, remaining);
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warn("Controlled shutdown of tablet server {} incomplete: {}", id, e.toString());
                return;
            }
        }
    }
}
