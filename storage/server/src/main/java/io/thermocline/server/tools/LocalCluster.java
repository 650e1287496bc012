package io.thermocline.server.tools;

import io.thermocline.common.config.Configuration;
import io.thermocline.lake.LakeOptions;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.coordinator.CoordinatorServer;
import io.thermocline.server.tablet.TabletServer;
import io.thermocline.server.zk.EmbeddedZooKeeper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An embedded ZooKeeper, a coordinator and tablet servers (in this process or one process each),
 * all under one data directory on fixed ports, so that a restart finds its metadata and clients
 * find the same addresses: the storage part of {@code thermocline local} and of the benchmarks.
 */
public final class LocalCluster implements AutoCloseable {
    private final Path dataDir;
    private final int basePort;
    private final int tabletServerCount;
    private final boolean processes;
    private Map<String, String> options = Map.of();
    private Configuration base;
    private EmbeddedZooKeeper zookeeper;
    private CoordinatorServer coordinator;
    private final List<TabletServer> tabletServers = new ArrayList<>();
    private final List<TabletServerProcess> tabletServerProcesses = new ArrayList<>();

    public LocalCluster(Path dataDir, int basePort, int tabletServerCount) {
        this(dataDir, basePort, tabletServerCount, false);
    }

    /** With {@code processes}, each tablet server runs as its own OS process (which may be killed). */
    public LocalCluster(Path dataDir, int basePort, int tabletServerCount, boolean processes) {
        this.dataDir = dataDir;
        this.basePort = basePort;
        this.tabletServerCount = tabletServerCount;
        this.processes = processes;
    }

    /**
     * Server options over the local defaults (from a configuration file, for example a lake on S3
     * behind a REST catalog); ports, ids and data directories stay the local cluster's.
     */
    public LocalCluster options(Map<String, String> options) {
        this.options = Map.copyOf(options);
        return this;
    }

    public static int coordinatorPort(int basePort) {
        return basePort + 10;
    }

    public static int tabletServerPort(int basePort, int id) {
        return basePort + 11 + id;
    }

    /** Where the coordinator serves Prometheus metrics. */
    public static int coordinatorMetricsPort(int basePort) {
        return basePort + 30;
    }

    public static int tabletServerMetricsPort(int basePort, int id) {
        return basePort + 31 + id;
    }

    public LocalCluster start() {
        String host = "127.0.0.1";
        zookeeper = EmbeddedZooKeeper.start(dataDir.resolve("zookeeper"), host, basePort);
        base = new Configuration()
                .set(ServerOptions.KV_SNAPSHOT_DIR, dataDir.resolve("kv-snapshots").toAbsolutePath().toString());
        if (options.keySet().stream().noneMatch(key -> key.startsWith(LakeOptions.CATALOG_PREFIX))) {
            base.set(LakeOptions.WAREHOUSE, lakeWarehouse().toString());
        }
        options.forEach(base::setString);
        base.set(ServerOptions.ZOOKEEPER_ADDRESS, zookeeper.connectString()).set(ServerOptions.BIND_HOST, host);
        coordinator = new CoordinatorServer(new Configuration(base.toMap())
                .set(ServerOptions.BIND_PORT, coordinatorPort(basePort))
                .set(ServerOptions.METRICS_PORT, coordinatorMetricsPort(basePort))).start();
        for (int id = 0; id < tabletServerCount; id++) {
            Configuration conf = new Configuration(base.toMap())
                    .set(ServerOptions.TABLET_SERVER_ID, id)
                    .set(ServerOptions.BIND_PORT, tabletServerPort(basePort, id))
                    .set(ServerOptions.METRICS_PORT, tabletServerMetricsPort(basePort, id))
                    .set(ServerOptions.DATA_DIR, dataDir.resolve("tablet-server-" + id).toString());
            if (processes) {
                tabletServerProcesses.add(TabletServerProcess.start(conf, System.getProperty("java.class.path"),
                        dataDir.resolve("logs").resolve("tablet-server-" + id + ".log"), Duration.ofMinutes(1)));
            } else {
                tabletServers.add(new TabletServer(conf).start());
            }
        }
        return this;
    }

    /** The Iceberg warehouse (a Hadoop catalog) of lake-enabled tables, unless the options name another lake. */
    public Path lakeWarehouse() {
        return dataDir.resolve("lake").toAbsolutePath();
    }

    /** The {@code lake.*} options the servers run with, for the tiering job; after {@link #start}. */
    public Map<String, String> lakeOptions() {
        Map<String, String> lake = new TreeMap<>();
        base.toMap().forEach((key, value) -> {
            if (key.startsWith("lake.")) {
                lake.put(key, value);
            }
        });
        return lake;
    }

    /** What clients put in bootstrap.servers. */
    public String bootstrapServers() {
        return coordinator.host() + ":" + coordinator.port();
    }

    public String zookeeperAddress() {
        return zookeeper.connectString();
    }

    /** One line per tablet server: its id and address, and for a process its pid and log. */
    public List<String> tabletServerLines() {
        List<String> lines = new ArrayList<>();
        for (TabletServer server : tabletServers) {
            lines.add("tablet server " + server.id() + ":  127.0.0.1:" + server.port());
        }
        for (int id = 0; id < tabletServerProcesses.size(); id++) {
            TabletServerProcess server = tabletServerProcesses.get(id);
            lines.add("tablet server " + id + ":  127.0.0.1:" + server.port() + "   (process " + server.pid()
                    + ", log " + server.logFile() + "; kill -9 it to see failover)");
        }
        return lines;
    }

    @Override
    public void close() {
        tabletServers.forEach(TabletServer::close);
        tabletServerProcesses.forEach(TabletServerProcess::stop);
        if (coordinator != null) {
            coordinator.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }
}
