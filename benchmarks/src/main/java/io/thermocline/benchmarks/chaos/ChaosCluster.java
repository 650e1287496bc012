package io.thermocline.benchmarks.chaos;

import io.thermocline.server.tools.CoordinatorMain;
import io.thermocline.server.tools.TabletServerMain;
import io.thermocline.server.zk.CoordinatorElection;
import io.thermocline.server.zk.EmbeddedZooKeeper;
import io.thermocline.server.zk.ZkRecords.CoordinatorRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;
import io.thermocline.tiering.TieringMain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The cluster the chaos run harms: ZooKeeper in the harness's JVM (an ensemble is not what is
 * tested), two coordinators, three tablet servers and one or more tiering jobs, each an OS process
 * on fixed ports so that a restarted one is found where it was.
 */
final class ChaosCluster implements AutoCloseable {
    static final int TABLET_SERVERS = 3;
    static final int COORDINATORS = 2;
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

    private final Path dir;
    private final int basePort;
    private final String classpath;
    private EmbeddedZooKeeper zookeeper;
    private ZooKeeperMetadataStore store;
    private final List<ChaosProcess> coordinators = new ArrayList<>();
    private final List<ChaosProcess> tabletServers = new ArrayList<>();
    private final List<ChaosProcess> tieringJobs = new ArrayList<>();
    private final int tieringJobCount;

    ChaosCluster(Path dir, int basePort, String classpath, int tieringJobCount) {
        this.dir = dir;
        this.basePort = basePort;
        this.classpath = classpath;
        this.tieringJobCount = tieringJobCount;
    }

    int coordinatorPort(int index) {
        return basePort + 10 + index;
    }

    int tabletServerPort(int id) {
        return basePort + 20 + id;
    }

    ChaosCluster start() throws Exception {
        writeLogConfig();
        zookeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"), "127.0.0.1", basePort);
        store = ZooKeeperMetadataStore.connect(zookeeper.connectString(), "thermocline", Duration.ofSeconds(30));
        for (int i = 0; i < COORDINATORS; i++) {
            coordinators.add(new ChaosProcess("coordinator-" + i, classpath, logConfig(), "384m",
                    CoordinatorMain.class.getName(),
                    serverArgs(List.of("bind.port=" + coordinatorPort(i))), dir.resolve("logs/coordinator-" + i + ".log"))
                    .start());
        }
        for (int id = 0; id < TABLET_SERVERS; id++) {
            tabletServers.add(new ChaosProcess("tablet-server-" + id, classpath, logConfig(), "512m",
                    TabletServerMain.class.getName(),
                    serverArgs(List.of("tablet-server.id=" + id, "bind.port=" + tabletServerPort(id),
                            "data.dir=" + dir.resolve("tablet-server-" + id))),
                    dir.resolve("logs/tablet-server-" + id + ".log")).start());
        }
        for (int i = 0; i < COORDINATORS; i++) {
            coordinators.get(i).awaitPort(coordinatorPort(i), Duration.ofMinutes(2));
        }
        for (int id = 0; id < TABLET_SERVERS; id++) {
            tabletServers.get(id).awaitPort(tabletServerPort(id), Duration.ofMinutes(2));
        }
        for (int i = 0; i < tieringJobCount; i++) {
            tieringJobs.add(new ChaosProcess("tiering-" + i, classpath, logConfig(), "768m",
                    TieringMain.class.getName(), List.of(
                    "--bootstrap-servers", bootstrapServers(), "--warehouse", lakeWarehouse().toString(),
                    "--conf", "tiering.poll-interval=200 ms"), dir.resolve("logs/tiering-" + i + ".log")).start());
        }
        return this;
    }

    /** INFO and up into each process's log (its standard error), so that a failed run can be read. */
    private void writeLogConfig() throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.console.ref = console",
                "appender.console.type = Console",
                "appender.console.name = console",
                "appender.console.target = SYSTEM_ERR",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n",
                "logger.apache.name = org.apache",
                "logger.apache.level = WARN",
                ""));
    }

    String logConfig() {
        return "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties").toAbsolutePath();
    }

    private List<String> serverArgs(List<String> own) {
        List<String> args = new ArrayList<>(List.of(
                "zookeeper.address=" + zookeeper.connectString(),
                "bind.host=127.0.0.1",
                "zookeeper.session-timeout=" + SESSION_TIMEOUT.toMillis() + " ms",
                "replica.lag-time-max=3 s",
                "controlled-shutdown.timeout=5 s",
                "shutdown.timeout=10 s",
                "coordinator.leader-rebalance.interval=10 s",
                // A killed tiering job's table goes to another job (or its restart) soon.
                "coordinator.tiering.heartbeat-timeout=5 s",
                "kv.snapshot.dir=" + dir.resolve("kv-snapshots"),
                "kv.snapshot.interval=10 s",
                "lake.catalog.warehouse=" + lakeWarehouse()));
        args.addAll(own);
        return args;
    }

    Path lakeWarehouse() {
        return dir.resolve("lake").toAbsolutePath();
    }

    String bootstrapServers() {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < COORDINATORS; i++) {
            addresses.add("127.0.0.1:" + coordinatorPort(i));
        }
        return String.join(",", addresses);
    }

    ZooKeeperMetadataStore metadata() {
        return store;
    }

    ChaosProcess tabletServer(int id) {
        return tabletServers.get(id);
    }

    ChaosProcess coordinator(int index) {
        return coordinators.get(index);
    }

    ChaosProcess tieringJob(int index) {
        return tieringJobs.get(index);
    }

    int tieringJobCount() {
        return tieringJobCount;
    }

    /** The index of the active coordinator, as ZooKeeper advertises it, if any. */
    Optional<Integer> activeCoordinator() {
        Optional<CoordinatorRegistration> active = CoordinatorElection.active(store);
        for (int i = 0; i < COORDINATORS; i++) {
            int index = i;
            if (active.filter(c -> c.port() == coordinatorPort(index)).isPresent()) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The live tablet servers' ids, as registered. */
    List<Integer> liveTabletServers() {
        return store.servers().live().keySet().stream().sorted().collect(Collectors.toList());
    }

    @Override
    public void close() throws Exception {
        for (ChaosProcess job : tieringJobs) {
            job.stop();
        }
        for (ChaosProcess server : tabletServers) {
            server.stop();
        }
        for (ChaosProcess coordinator : coordinators) {
            coordinator.stop();
        }
        if (store != null) {
            store.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }
}
