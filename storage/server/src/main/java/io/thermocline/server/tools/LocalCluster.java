package io.thermocline.server.tools;

import io.thermocline.common.config.Configuration;
import io.thermocline.lake.LakeOptions;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.coordinator.CoordinatorServer;
import io.thermocline.server.tablet.TabletServer;
import io.thermocline.server.zk.EmbeddedZooKeeper;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code thermocline local}: an embedded ZooKeeper, a coordinator and tablet servers in one
 * process, all under one data directory on fixed ports, so that a restart finds its metadata and
 * clients find the same addresses. Ctrl-C stops everything cleanly.
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

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = Paths.get(option(args, "--data-dir", "data"));
        int basePort = Integer.parseInt(option(args, "--port", "9180"));
        int servers = Integer.parseInt(option(args, "--tablet-servers", "3"));
        boolean processes = java.util.Arrays.asList(args).contains("--processes");
        String gatewayPort = option(args, "--gateway-port", null);
        LocalPreflight preflight;
        try {
            preflight = LocalPreflight.check(dataDir, ports(basePort, servers, gatewayPort));
        } catch (LocalPreflight.Failure e) {
            System.err.println("thermocline local: " + e.getMessage());
            System.exit(e.exitCode);
            return;
        }
        if (java.util.Arrays.asList(args).contains("--check-only")) {
            preflight.close(); // the launcher checks before it starts the jobs beside the cluster
            return;
        }
        LocalCluster cluster = new LocalCluster(dataDir, basePort, servers, processes);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Thermocline...");
            cluster.close();
            preflight.close();
            stopped.countDown();
        }, "thermocline-shutdown"));
        cluster.start();
        cluster.printBanner(System.out, gatewayPort);
        stopped.await();
    }

    /** Every port {@code local} listens on, with what it is for. */
    static Map<Integer, String> ports(int basePort, int servers, String gatewayPort) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(basePort, "ZooKeeper");
        ports.put(basePort + 10, "coordinator");
        for (int id = 0; id < servers; id++) {
            ports.put(basePort + 11 + id, "tablet server " + id);
        }
        if (gatewayPort != null) {
            ports.put(Integer.parseInt(gatewayPort), "JDBC gateway");
        }
        return ports;
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
                .set(ServerOptions.BIND_PORT, basePort + 10)).start();
        for (int id = 0; id < tabletServerCount; id++) {
            Configuration conf = new Configuration(base.toMap())
                    .set(ServerOptions.TABLET_SERVER_ID, id)
                    .set(ServerOptions.BIND_PORT, basePort + 11 + id)
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

    /** @param gatewayPort where the launcher's JDBC gateway listens, or null when it runs none */
    void printBanner(PrintStream out, String gatewayPort) {
        out.println();
        out.println("Thermocline is running locally.");
        out.println("  data directory:   " + dataDir.toAbsolutePath());
        out.println("  ZooKeeper:        " + zookeeper.connectString());
        out.println("  coordinator:      " + coordinator.host() + ":" + coordinator.port()
                + "   <- bootstrap.servers for clients");
        out.println("  Iceberg lake:     " + lakeWarehouse() + "   (Hadoop catalog; tables with"
                + " 'table.datalake.enabled' = 'true' tier here)");
        for (TabletServer server : tabletServers) {
            out.println("  tablet server " + server.id() + ":  127.0.0.1:" + server.port());
        }
        for (int id = 0; id < tabletServerProcesses.size(); id++) {
            TabletServerProcess server = tabletServerProcesses.get(id);
            out.println("  tablet server " + id + ":  127.0.0.1:" + server.port() + "   (process " + server.pid()
                    + ", log " + server.logFile() + "; kill -9 it to see failover)");
        }
        if (gatewayPort != null) {
            out.println("  JDBC gateway:     jdbc:avatica:remote:url=http://127.0.0.1:" + gatewayPort
                    + ";serialization=protobuf   (log " + dataDir.resolve("logs").resolve("gateway.log") + ")");
            out.println("SQL shell: ./thermocline sql   (Flink SQL over both tiers; batch queries by default)");
        }
        out.println("The tiering job runs on an embedded Flink (log " + dataDir.resolve("logs").resolve("tiering.log")
                + "). Stop with Ctrl-C.");
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

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
