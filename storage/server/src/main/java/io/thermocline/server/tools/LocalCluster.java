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
        Configuration base = new Configuration()
                .set(ServerOptions.ZOOKEEPER_ADDRESS, zookeeper.connectString())
                .set(ServerOptions.BIND_HOST, host)
                .set(ServerOptions.KV_SNAPSHOT_DIR, dataDir.resolve("kv-snapshots").toAbsolutePath().toString())
                .set(LakeOptions.WAREHOUSE, lakeWarehouse().toString());
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

    /** The Iceberg warehouse (a Hadoop catalog) of lake-enabled tables. */
    public Path lakeWarehouse() {
        return dataDir.resolve("lake").toAbsolutePath();
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
