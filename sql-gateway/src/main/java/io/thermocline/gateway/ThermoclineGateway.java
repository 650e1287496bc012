package io.thermocline.gateway;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.common.config.Configuration;
import io.thermocline.gateway.guard.GuardPolicy;
import io.thermocline.gateway.guard.StatementGuard;
import io.thermocline.gateway.meta.ThermoclineMeta;
import io.thermocline.gateway.session.FlinkSession;
import io.thermocline.rpc.protocol.RpcOptions;

import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.table.gateway.service.context.DefaultContext;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDBC gateway: an Avatica HTTP server (protobuf serialization) whose connections are Flink
 * sessions over a Thermocline cluster, each with the Thermocline catalog as its default catalog
 * and the planner rules installed. Connect with
 * {@code jdbc:avatica:remote:url=http://HOST:8765;serialization=protobuf}. Close it to stop
 * serving and end every session.
 */
public final class ThermoclineGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ThermoclineGateway.class);
    /** The role every user of the users file must have. */
    static final String ROLE = "thermocline";

    private final HttpServer server;
    private final ThermoclineMeta meta;
    private final ScheduledExecutorService reaper;
    private final ExecutorService operations;
    /** Null when jobs go to a cluster named by flink.execution.target. */
    private final MiniCluster embeddedFlink;
    private final boolean tls;

    private ThermoclineGateway(HttpServer server, ThermoclineMeta meta, ScheduledExecutorService reaper,
            ExecutorService operations, MiniCluster embeddedFlink, boolean tls) {
        this.server = server;
        this.meta = meta;
        this.reaper = reaper;
        this.operations = operations;
        this.embeddedFlink = embeddedFlink;
        this.tls = tls;
    }

    /**
     * Starts serving. {@code conf} holds the gateway options ({@link GatewayOptions}), the client
     * options of the cluster ({@code bootstrap.servers}, ...) and Flink options under {@code flink.}.
     */
    public static ThermoclineGateway start(Map<String, String> conf) {
        Configuration options = new Configuration(conf);
        Map<String, String> clientOptions = new HashMap<>();
        Map<String, String> flinkOptions = new HashMap<>();
        conf.forEach((key, value) -> {
            if (key.startsWith(GatewayOptions.FLINK_PREFIX)) {
                flinkOptions.put(key.substring(GatewayOptions.FLINK_PREFIX.length()), value);
            } else if (!key.startsWith("gateway.")) {
                clientOptions.put(key, value);
            }
        });
        String catalogName = options.get(GatewayOptions.CATALOG_NAME);
        String database = options.get(GatewayOptions.DEFAULT_DATABASE);
        // A session's default database must exist before its catalog opens. First, so that a
        // cluster not up yet fails the start before anything else is started.
        try (Connection connection = ConnectionFactory.create(new Configuration(clientOptions))) {
            connection.admin().createDatabase(database, null, true).join();
        }
        // Settings are checked before anything starts: a refused start leaves nothing running.
        File users = options.contains(GatewayOptions.USERS_FILE) ? new File(options.get(GatewayOptions.USERS_FILE)) : null;
        if (users != null && !users.canRead()) {
            throw new IllegalArgumentException(GatewayOptions.USERS_FILE.key() + ": cannot read " + users);
        }
        boolean tls = options.contains(GatewayOptions.TLS_KEYSTORE);
        if (tls && !options.contains(GatewayOptions.TLS_KEYSTORE_PASSWORD)) {
            throw new IllegalArgumentException(GatewayOptions.TLS_KEYSTORE_PASSWORD.key() + " is required with "
                    + GatewayOptions.TLS_KEYSTORE.key());
        }

        MiniCluster embedded = flinkOptions.containsKey("execution.target") ? null
                : startEmbeddedFlink(options.get(GatewayOptions.EMBEDDED_FLINK_SLOTS), flinkOptions);
        DefaultContext defaults = new DefaultContext(flinkOptions, List.of());
        ExecutorService operations = Executors.newCachedThreadPool(daemonThreads("gateway-operation"));
        StatementGuard guard = new StatementGuard(GuardPolicy.of(options));
        ThermoclineMeta meta = new ThermoclineMeta(
                (user, info) -> new FlinkSession(defaults, catalogName, database,
                        sessionClientOptions(options.get(GatewayOptions.CLUSTER_CREDENTIALS), clientOptions, info),
                        Map.of(), operations, guard),
                new ThermoclineMeta.Limits(options.get(GatewayOptions.MAX_STATEMENTS),
                        options.get(GatewayOptions.MAX_FRAME_ROWS),
                        options.get(GatewayOptions.STREAMING_FETCH_WAIT).toMillis(),
                        options.get(GatewayOptions.MAX_STATEMENT_LENGTH), options.get(GatewayOptions.MAX_CONNECTIONS),
                        options.get(GatewayOptions.MAX_CONNECTIONS_PER_USER)),
                System::currentTimeMillis);
        ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(daemonThreads("gateway-idle"));
        HttpServer server;
        try {
            server = httpServer(options, meta, users, tls);
            server.start();
        } catch (RuntimeException e) {
            reaper.shutdownNow();
            operations.shutdownNow();
            meta.close();
            closeQuietly(embedded);
            throw e;
        }
        Duration idle = options.get(GatewayOptions.IDLE_TIMEOUT);
        long every = Math.max(50, Math.min(idle.toMillis() / 4, 30_000));
        reaper.scheduleWithFixedDelay(() -> {
            int closed = meta.closeIdle(System.currentTimeMillis() - idle.toMillis());
            if (closed > 0) {
                LOG.info("Closed {} JDBC connections idle for more than {}", closed, idle);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return new ThermoclineGateway(server, meta, reaper, operations, embedded, tls);
    }

    /** The client options of one JDBC connection's session: with CONNECTION credentials, its own user and password. */
    private static Map<String, String> sessionClientOptions(GatewayOptions.ClusterCredentials credentials,
            Map<String, String> clientOptions, Map<String, String> connectionInfo) {
        if (credentials == GatewayOptions.ClusterCredentials.GATEWAY) {
            return clientOptions;
        }
        String user = connectionInfo.get("user");
        String password = connectionInfo.get("password");
        if (user == null || user.isEmpty() || password == null) {
            throw new IllegalArgumentException(GatewayOptions.CLUSTER_CREDENTIALS.key() + " is CONNECTION: connect with"
                    + " the user and password properties of your Thermocline user");
        }
        Map<String, String> own = new HashMap<>(clientOptions);
        own.put(RpcOptions.SASL_USERNAME.key(), user);
        own.put(RpcOptions.SASL_PASSWORD.key(), password);
        return own;
    }

    /** Avatica's HTTP server over {@code meta}: protobuf, the bind host, request size limit, authentication, TLS. */
    private static HttpServer httpServer(Configuration options, ThermoclineMeta meta, File users, boolean tls) {
        String host = options.get(GatewayOptions.HOST);
        long maxRequestBytes = 4L * options.get(GatewayOptions.MAX_STATEMENT_LENGTH) + (1 << 20);
        ServerCustomizer<Server> customizer = server -> {
            for (Connector connector : server.getConnectors()) {
                ((ServerConnector) connector).setHost(host);
            }
            if (users != null) {
                AuthenticatedUser.install(server, meta);
            }
            server.setHandler(new RequestSizeLimit(maxRequestBytes, server.getHandler()));
        };
        HttpServer.Builder<Server> builder = HttpServer.Builder.<Server>newBuilder()
                .withHandler(new LocalService(meta), Driver.Serialization.PROTOBUF)
                .withPort(options.get(GatewayOptions.PORT))
                .withServerCustomizers(List.of(customizer), Server.class);
        if (users != null) {
            builder.withBasicAuthentication(users.getAbsolutePath(), new String[] {ROLE});
        }
        if (tls) {
            File keystore = new File(options.get(GatewayOptions.TLS_KEYSTORE));
            String password = options.get(GatewayOptions.TLS_KEYSTORE_PASSWORD);
            String type = keystore.getName().endsWith(".p12") || keystore.getName().endsWith(".pfx") ? "PKCS12" : "JKS";
            builder.withTLS(keystore, password, keystore, password, type);
        }
        return builder.build();
    }

    /** A Flink cluster in this process for the sessions' jobs; {@code flinkOptions} learn its address. */
    private static MiniCluster startEmbeddedFlink(int slots, Map<String, String> flinkOptions) {
        org.apache.flink.configuration.Configuration conf = org.apache.flink.configuration.Configuration.fromMap(
                flinkOptions);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, 0);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
        try {
            cluster.start();
            URI rest = cluster.getRestAddress().get();
            flinkOptions.put("execution.target", "remote");
            flinkOptions.put(RestOptions.ADDRESS.key(), rest.getHost());
            flinkOptions.put(RestOptions.PORT.key(), Integer.toString(rest.getPort()));
            return cluster;
        } catch (Exception e) {
            closeQuietly(cluster);
            throw new IllegalStateException("Cannot start the gateway's embedded Flink cluster: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(MiniCluster cluster) {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                LOG.warn("Embedded Flink cluster did not stop cleanly", e);
            }
        }
    }

    public int port() {
        return server.getPort();
    }

    /** The JDBC URL of this gateway on {@code host}. */
    public String jdbcUrl(String host) {
        return "jdbc:avatica:remote:url=" + (tls ? "https" : "http") + "://" + host + ":" + port()
                + ";serialization=protobuf";
    }

    /** The server side of the connections, for tests and monitoring. */
    public ThermoclineMeta meta() {
        return meta;
    }

    @Override
    public void close() {
        server.stop();
        reaper.shutdownNow();
        meta.close();
        operations.shutdownNow();
        closeQuietly(embeddedFlink);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
