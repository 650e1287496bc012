package io.thermocline.server.coordinator;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.internal.utils.Clock;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.rpc.messages.ApiVersionsRequest;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.security.SecurityProtocol;
import io.thermocline.rpc.server.ApiVersionsHandler;
import io.thermocline.rpc.server.RpcServer;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.metrics.ServerMetrics;
import io.thermocline.server.security.Authorizer;
import io.thermocline.server.security.RequestAuthorizer;
import io.thermocline.server.security.ServerListeners;
import io.thermocline.server.security.WriterIds;
import io.thermocline.server.security.ZkCredentialStore;
import io.thermocline.server.zk.CoordinatorElection;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * A coordinator process: joins the election and, while active, serves DDL and keeps automatic
 * partitions. Standbys run the same
 * server and answer with {@code NotCoordinator}, so that clients find the active one.
 */
public final class CoordinatorServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorServer.class);
    /** The software version servers report in ApiVersions. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private final Configuration conf;
    private final String id;
    private ZooKeeperMetadataStore store;
    private ServerListeners listeners;
    /** The listener other servers use. */
    private RpcServer rpcServer;
    private ServerMetrics metrics;
    private Authorizer authorizer;
    private TabletServerGateway tabletServers;
    private ReplicationController replication;
    private AutoPartitioner autoPartitioner;
    private LakeCatalog lake;
    private volatile CoordinatorElection election;

    public CoordinatorServer(Configuration conf) {
        this.conf = conf;
        this.id = "coordinator-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public CoordinatorServer start() {
        String zookeeper = conf.get(ServerOptions.ZOOKEEPER_ADDRESS);
        if (zookeeper == null) {
            throw new InvalidConfigException("Option 'zookeeper.address' must be set for a coordinator");
        }
        store = ZooKeeperMetadataStore.connect(zookeeper, conf.get(ServerOptions.ZOOKEEPER_ROOT),
                conf.get(ServerOptions.ZOOKEEPER_SESSION_TIMEOUT));
        // The election advertises the bound address, so it starts after the server; until then
        // the service sees no election and answers NotCoordinator.
        metrics = ServerMetrics.start(conf);
        GaugeWithCallback.builder().name("thermocline_coordinator_active").help("1 while this coordinator is the active one")
                .callback(cb -> cb.call(isActive() ? 1 : 0)).register(metrics.registry());
        GaugeWithCallback.builder().name("thermocline_tablet_servers").help("Live tablet servers, as the active"
                + " coordinator sees them").callback(cb -> {
                    if (isActive()) {
                        cb.call(store.servers().live().size());
                    }
                }).register(metrics.registry());
        authorizer = Authorizer.start(conf, store);
        RpcService.Builder service = RpcService.builder().observer(metrics)
                .guard(new RequestAuthorizer(authorizer, tableId -> store.requireTable(tableId).path().toString()))
                .register(ApiKeys.API_VERSIONS, ApiVersionsRequest.parser(), new ApiVersionsHandler(VERSION));
        ActiveCoordinator active = new ActiveCoordinator(store, () -> election);
        tabletServers = new TabletServerGateway(store, conf);
        replication = new ReplicationController(store, tabletServers, conf.get(ServerOptions.AUTO_LEADER_REBALANCE)
                ? conf.get(ServerOptions.LEADER_REBALANCE_INTERVAL) : null);
        BucketAllocator allocator = new BucketAllocator(store, replication);
        PartitionManager partitions = new PartitionManager(store, allocator, tabletServers, active::epoch,
                conf.get(ServerOptions.MAX_PARTITIONS_PER_TABLE), Clock.SYSTEM);
        autoPartitioner = new AutoPartitioner(store, partitions, Clock.SYSTEM, active::isActive)
                .start(conf.get(ServerOptions.AUTO_PARTITION_CHECK_INTERVAL));
        lake = new LakeCatalog(conf.toMap());
        TieringQueue tieringQueue = new TieringQueue(Clock.SYSTEM, conf.get(ServerOptions.TIERING_HEARTBEAT_TIMEOUT),
                conf.get(ServerOptions.TIERING_RETRY_DELAY), conf.get(ServerOptions.TIERING_RETRY_MAX_DELAY));
        GaugeWithCallback.builder().name("thermocline_tiering_paused_tables").help("Lake-enabled tables whose last"
                + " tiering round failed (the lake unreachable, say), retried with backoff").callback(cb -> {
                    if (isActive()) {
                        cb.call(tieringQueue.pausedTables());
                    }
                }).register(metrics.registry());
        TieringService tiering = new TieringService(store, active, tieringQueue, Clock.SYSTEM);
        tiering.register(service);
        new DdlService(store, active, allocator, autoPartitioner, tabletServers, lake, tiering,
                conf.get(ServerOptions.DEFAULT_BUCKET_COUNT), conf.get(ServerOptions.DEFAULT_REPLICATION_FACTOR), Clock.SYSTEM)
                .register(service);
        new PartitionService(store, active, partitions).register(service);
        new LakeCatalogService(active, lake, conf.get(ServerOptions.SHARE_LAKE_CATALOG)).register(service);
        new UserService(store, active).register(service);
        new AclService(store, active).register(service);
        new ReplicationService(active, replication, store, new WriterIds(store.clusterSecret())).register(service);
        listeners = ServerListeners.start(conf, service.build(), new ZkCredentialStore(store));
        rpcServer = listeners.interServer();
        election = new CoordinatorElection(store, id, listeners.host(rpcServer.protocol()), rpcServer.port(), new CoordinatorElection.Listener() {
            @Override
            public void onActive(int epoch) {
                LOG.info("{} at {}:{} is the active coordinator (epoch {})", id, rpcServer.host(), rpcServer.port(), epoch);
                replication.activate(epoch);
                tiering.activate(epoch);
            }

            @Override
            public void onInactive() {
                LOG.info("{} is a standby coordinator", id);
                replication.deactivate();
            }
        });
        election.start();
        return this;
    }

    public String id() {
        return id;
    }

    /** The port of the listener other servers use (the only one, unless {@code listeners} names more). */
    public int port() {
        return rpcServer.port();
    }

    public int port(SecurityProtocol protocol) {
        return listeners.port(protocol);
    }

    public String host() {
        return rpcServer.host();
    }

    /** Where Prometheus metrics are served, or -1 when {@code metrics.port} is not set. */
    public int metricsPort() {
        return metrics.port();
    }

    public boolean isActive() {
        return election != null && election.isActive();
    }

    @Override
    public void close() {
        if (autoPartitioner != null) {
            autoPartitioner.close();
        }
        if (election != null) {
            election.close();
        }
        if (replication != null) {
            replication.close();
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
        if (tabletServers != null) {
            tabletServers.close();
        }
        if (lake != null) {
            lake.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
