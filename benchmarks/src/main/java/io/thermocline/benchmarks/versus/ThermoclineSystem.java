package io.thermocline.benchmarks.versus;

import io.thermocline.server.tools.LocalCluster;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Thermocline: ZooKeeper and a coordinator in one JVM, each tablet server in a JVM of its own
 * ({@link LocalCluster} with processes), as Kafka's brokers and Fluss's servers run.
 */
final class ThermoclineSystem implements SystemUnderTest {
    /** The scenarios it has. */
    static final Set<String> SCENARIOS = Set.of("append", "latency", "projection", "kv", "lake", "union-read");
    private static final int BASE_PORT = 19400;

    private final Path dir;
    private final ChildProcess cluster;
    private ChildProcess tiering;

    private ThermoclineSystem(Path dir, ChildProcess cluster) {
        this.dir = dir;
        this.cluster = cluster;
    }

    static ThermoclineSystem start(Path dir, int tabletServers) throws Exception {
        ChildProcess cluster = ChildProcess.start(System.getProperty("java.class.path"), "2g",
                dir.resolve("cluster.log"), ThermoclineSystem.class.getName(),
                List.of(dir.resolve("data").toString(), Integer.toString(tabletServers)));
        try {
            cluster.awaitPort(LocalCluster.coordinatorPort(BASE_PORT), Duration.ofMinutes(2));
            for (int id = 0; id < tabletServers; id++) {
                cluster.awaitPort(LocalCluster.tabletServerPort(BASE_PORT, id), Duration.ofMinutes(2));
            }
            Thread.sleep(2000); // tablet servers register with the coordinator
            return new ThermoclineSystem(dir, cluster);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** The cluster's JVM: {@code ThermoclineSystem DATA_DIR TABLET_SERVERS}, until SIGTERM. */
    public static void main(String[] args) throws InterruptedException {
        LocalCluster cluster = new LocalCluster(Paths.get(args[0]), BASE_PORT, Integer.parseInt(args[1]), true).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    @Override
    public String name() {
        return "Thermocline";
    }

    @Override
    public String bootstrap() {
        return "127.0.0.1:" + LocalCluster.coordinatorPort(BASE_PORT);
    }


    @Override
    public Driver driver(String scenario) {
        return new Driver(System.getProperty("java.class.path"), ThermoclineDriver.class.getName(), List.of());
    }

    @Override
    public Path lakeWarehouse() {
        return dir.resolve("data").resolve("lake").toAbsolutePath();
    }

    /** The tiering job on a local Flink in a JVM of its own, as Fluss's tiering service runs here. */
    @Override
    public void startTiering() throws Exception {
        if (tiering == null) {
            tiering = ChildProcess.start(System.getProperty("java.class.path"), "1g", dir.resolve("tiering.log"),
                    "io.thermocline.tiering.TieringMain", List.of("--bootstrap-servers", bootstrap(), "--warehouse",
                            lakeWarehouse().toString()));
        }
    }

    @Override
    public void close() throws Exception {
        if (tiering != null) {
            tiering.close();
        }
        cluster.close();
    }
}
