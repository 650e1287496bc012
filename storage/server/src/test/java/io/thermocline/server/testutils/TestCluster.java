package io.thermocline.server.testutils;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.testutils.TestWaits;
import io.thermocline.lake.LakeOptions;
import io.thermocline.rpc.security.ScramCredential;
import io.thermocline.rpc.security.SecurityProtocol;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.coordinator.CoordinatorServer;
import io.thermocline.server.tablet.TabletServer;
import io.thermocline.server.tools.TabletServerProcess;
import io.thermocline.server.zk.EmbeddedZooKeeper;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real cluster in this JVM for integration tests, shared by a test class: an embedded
 * ZooKeeper, coordinators and tablet servers on 127.0.0.1, with fault controls (stop, restart)
 * and {@link #waitUntil}. Use as {@code @RegisterExtension static final TestCluster CLUSTER =
 * TestCluster.builder().tabletServers(3).build();}.
 */
public final class TestCluster implements BeforeAllCallback, AfterAllCallback {
    private final int tabletServerCount;
    private final int coordinatorCount;
    private final Map<String, String> extraServerConf;
    private final boolean processes;
    private final boolean lake;
    private final Map<String, String> users;
    private final Map<Integer, TabletServerProcess> tabletServerProcesses = new TreeMap<>();
    private Path dir;
    private EmbeddedZooKeeper zookeeper;
    private final List<CoordinatorServer> coordinators = new ArrayList<>();
    private final Map<Integer, TabletServer> tabletServers = new TreeMap<>();

    private TestCluster(Builder builder) {
        this.tabletServerCount = builder.tabletServers;
        this.coordinatorCount = builder.coordinators;
        this.extraServerConf = Map.copyOf(builder.serverConf);
        this.processes = builder.processes;
        this.lake = builder.lake;
        this.users = Map.copyOf(builder.users);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    public void start() {
        try {
            dir = Files.createTempDirectory("thermocline-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        zookeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"), "127.0.0.1", 0);
        if (!users.isEmpty()) {
            // Users exist before any server: servers authenticate to each other as one of them.
            Configuration conf = serverConf();
            try (ZooKeeperMetadataStore store = ZooKeeperMetadataStore.connect(zookeeper.connectString(),
                    conf.get(ServerOptions.ZOOKEEPER_ROOT), conf.get(ServerOptions.ZOOKEEPER_SESSION_TIMEOUT))) {
                users.forEach((user, password) -> store.setUserCredential(user,
                        ScramCredential.create(password, ScramCredential.MIN_ITERATIONS).encode()));
            }
        }
        for (int i = 0; i < coordinatorCount; i++) {
            coordinators.add(new CoordinatorServer(serverConf()).start());
        }
        for (int id = 0; id < tabletServerCount; id++) {
            startTabletServer(id);
        }
        waitUntil(() -> activeCoordinator() != null, Duration.ofSeconds(30), "a coordinator becomes active");
    }

    public void stop() {
        tabletServers.values().forEach(TabletServer::close);
        tabletServers.clear();
        tabletServerProcesses.values().forEach(TabletServerProcess::kill);
        tabletServerProcesses.clear();
        coordinators.forEach(CoordinatorServer::close);
        coordinators.clear();
        if (zookeeper != null) {
            zookeeper.close();
        }
        deleteRecursively(dir);
    }

    /** Configuration of a server of this cluster; tests may add to it. */
    public Configuration serverConf() {
        Configuration conf = new Configuration(extraServerConf)
                .set(ServerOptions.ZOOKEEPER_ADDRESS, zookeeper.connectString())
                .set(ServerOptions.ZOOKEEPER_SESSION_TIMEOUT, Duration.ofSeconds(6));
        return lake && !extraServerConf.containsKey(LakeOptions.WAREHOUSE.key())
                ? conf.set(LakeOptions.WAREHOUSE, lakeWarehouse().toString()) : conf;
    }

    /** The {@code lake.*} options of this cluster's servers, for a tiering job or a reader of its lake. */
    public Map<String, String> lakeOptions() {
        Map<String, String> options = new TreeMap<>();
        serverConf().toMap().forEach((key, value) -> {
            if (key.startsWith("lake.")) {
                options.put(key, value);
            }
        });
        return options;
    }

    /** The Iceberg warehouse of a cluster built with {@link Builder#lake()}; deleted with the cluster. */
    public Path lakeWarehouse() {
        return dir.resolve("lake");
    }

    /** Configuration for a client of this cluster. */
    public Configuration clientConf() {
        return new Configuration().setString("bootstrap.servers", bootstrapServers());
    }

    public String bootstrapServers() {
        return coordinators.stream().map(c -> c.host() + ":" + c.port()).collect(Collectors.joining(","));
    }

    /** Client options of a cluster built with {@link Builder#sasl}: SCRAM as {@code user}. */
    public Configuration saslClientConf(String user, String password) {
        return new Configuration()
                .setString("bootstrap.servers", bootstrapServers(SecurityProtocol.SASL_PLAINTEXT))
                .setString("security.protocol", SecurityProtocol.SASL_PLAINTEXT.name())
                .setString("security.sasl.username", user)
                .setString("security.sasl.password", password);
    }

    /** The coordinators' listeners of {@code protocol}, for clients of a cluster with several listeners. */
    public String bootstrapServers(SecurityProtocol protocol) {
        return coordinators.stream().map(c -> c.host() + ":" + c.port(protocol)).collect(Collectors.joining(","));
    }

    public List<CoordinatorServer> coordinators() {
        return List.copyOf(coordinators);
    }

    /** The active coordinator, or null while none is. */
    public CoordinatorServer activeCoordinator() {
        return coordinators.stream().filter(CoordinatorServer::isActive).findFirst().orElse(null);
    }

    /** Stops a coordinator (its address stays in the bootstrap list, as a dead host would). */
    public void stopCoordinator(CoordinatorServer coordinator) {
        coordinator.close();
    }

    public TabletServer tabletServer(int id) {
        return tabletServers.get(id);
    }

    public void startTabletServer(int id) {
        Configuration conf = serverConf()
                .set(ServerOptions.TABLET_SERVER_ID, id)
                .set(ServerOptions.DATA_DIR, tabletServerDataDir(id).toString());
        if (processes) {
            tabletServerProcesses.put(id, TabletServerProcess.start(conf, System.getProperty("java.class.path"),
                    dir.resolve("tablet-server-" + id + ".log"), Duration.ofSeconds(60)));
        } else {
            tabletServers.put(id, new TabletServer(conf).start());
        }
    }

    /** Whether tablet server {@code id} runs (in this JVM or as a process). */
    public boolean isRunning(int id) {
        return tabletServers.containsKey(id) || tabletServerProcesses.containsKey(id);
    }

    /** Stops a tablet server politely: its leaderships move away first. */
    public void stopTabletServer(int id) {
        TabletServer server = tabletServers.remove(id);
        if (server != null) {
            server.close();
        }
        TabletServerProcess process = tabletServerProcesses.remove(id);
        if (process != null) {
            process.stop();
        }
    }

    /**
     * SIGTERM to a tablet server process; true when it ended within {@code within}, else it is
     * killed and false returned.
     */
    public boolean terminateTabletServer(int id, Duration within) {
        TabletServerProcess process = process(id);
        tabletServerProcesses.remove(id);
        if (process.terminate(within)) {
            return true;
        }
        process.kill();
        return false;
    }

    /** Stops ZooKeeper, as an outage of the ensemble would; nothing restarts it. */
    public void stopZooKeeper() {
        zookeeper.close();
        zookeeper = null;
    }

    /** Freezes a tablet server process (SIGSTOP) until {@link #resumeTabletServer}. */
    public void pauseTabletServer(int id) {
        process(id).pause();
    }

    public void resumeTabletServer(int id) {
        process(id).resume();
    }

    private TabletServerProcess process(int id) {
        TabletServerProcess process = tabletServerProcesses.get(id);
        if (process == null) {
            throw new IllegalStateException("Tablet server " + id + " is not a running process");
        }
        return process;
    }

    /** kill -9 of a tablet server process (clusters built with {@code processes(true)}). */
    public void killTabletServer(int id) {
        TabletServerProcess process = tabletServerProcesses.remove(id);
        if (process == null) {
            throw new IllegalStateException("Tablet server " + id + " is not a running process");
        }
        process.kill();
    }

    /** Stops a tablet server without moving its leaderships away first, as a crash would. */
    public void haltTabletServer(int id) {
        TabletServer server = tabletServers.remove(id);
        if (server != null) {
            server.halt();
        }
        if (tabletServerProcesses.containsKey(id)) {
            killTabletServer(id);
        }
    }

    public void restartTabletServer(int id) {
        stopTabletServer(id);
        startTabletServer(id);
    }

    public Path dataDir() {
        return dir;
    }

    public Path tabletServerDataDir(int id) {
        return dir.resolve("tablet-server-" + id);
    }

    /** Waits for a condition, failing with {@code what} after {@code timeout}: no bare sleeps in tests. */
    public static void waitUntil(BooleanSupplier condition, Duration timeout, String what) {
        TestWaits.waitUntil(condition, timeout, what);
    }

    private static void deleteRecursively(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds a {@link TestCluster}. */
    public static final class Builder {
        private int tabletServers = 3;
        private int coordinators = 1;
        private final Map<String, String> serverConf = new java.util.HashMap<>();
        private boolean processes;
        private boolean lake;
        private final Map<String, String> users = new java.util.HashMap<>();

        public Builder tabletServers(int count) {
            this.tabletServers = count;
            return this;
        }

        public Builder coordinators(int count) {
            this.coordinators = count;
            return this;
        }

        /** Tablet servers as child OS processes, which tests may kill -9. */
        public Builder processes(boolean value) {
            this.processes = value;
            return this;
        }

        /** A lake: a Hadoop-catalog Iceberg warehouse in the cluster's directory ({@link #lakeWarehouse()}). */
        public Builder lake() {
            this.lake = true;
            return this;
        }

        /** A lake in another catalog: {@code options} are its {@code lake.catalog.*} options, without the prefix. */
        public Builder lake(Map<String, String> options) {
            options.forEach((key, value) -> serverConf.put(LakeOptions.CATALOG_PREFIX + key, value));
            return lake();
        }

        /**
         * One SASL_PLAINTEXT listener per server (SCRAM), servers authenticating to each other as
         * {@code serverUser}, which is created; clients connect with {@link #saslClientConf}.
         */
        public Builder sasl(String serverUser, String password) {
            serverConf.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
            serverConf.put("security.protocol", "SASL_PLAINTEXT");
            serverConf.put("security.sasl.username", serverUser);
            serverConf.put("security.sasl.password", password);
            return user(serverUser, password);
        }

        /** Authorization on, with these super users and the servers' own user (see {@link #sasl}). */
        public Builder authorization(String... superUsers) {
            StringBuilder all = new StringBuilder("User:").append(serverConf.getOrDefault("security.sasl.username",
                    "ANONYMOUS"));
            for (String user : superUsers) {
                all.append(";User:").append(user);
            }
            serverConf.put("authorization.enabled", "true");
            serverConf.put("super.users", all.toString());
            return this;
        }

        /** A user of SASL listeners, created in ZooKeeper before any server starts. */
        public Builder user(String name, String password) {
            users.put(name, password);
            return this;
        }

        /** An option for every coordinator and tablet server of the cluster. */
        public Builder serverOption(String key, String value) {
            serverConf.put(key, value);
            return this;
        }

        public TestCluster build() {
            return new TestCluster(this);
        }
    }
}
