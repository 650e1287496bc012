package io.thermocline.benchmarks.versus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Apache Fluss from Maven Central: a ZooKeeper (the one Fluss's server jar carries), a
 * coordinator and tablet servers, each its own JVM, configured by a {@code server.yaml} each, with
 * its Iceberg lake (a Hadoop catalog) and, from the first lake case on, its tiering service: the
 * Flink job of {@code fluss-flink-tiering} on a local Flink 1.20 in a JVM of its own.
 */
final class FlussSystem extends PeerSystem {
    /** The scenarios it has. */
    static final Set<String> SCENARIOS = Set.of("append", "latency", "projection", "kv", "lake", "union-read");
    private static final int ZOOKEEPER_PORT = 19600;
    private static final int COORDINATOR_PORT = 19610;
    private static final String ZOOKEEPER_MAIN = "org.apache.fluss.shaded.zookeeper3.org.apache.zookeeper.server"
            + ".ZooKeeperServerMain";

    private final Path dir;
    private final String lakeClasspath;
    private ChildProcess tiering;

    private FlussSystem(List<ChildProcess> processes, String peersClasspath, Path dir, String lakeClasspath) {
        super(processes, peersClasspath);
        this.dir = dir;
        this.lakeClasspath = lakeClasspath;
    }

    /** Its servers run on {@code lakeClasspath} (benchmarks/peers-lake), which has the Iceberg lake plugin. */
    static FlussSystem start(Path dir, String peersClasspath, String lakeClasspath, int tabletServers)
            throws Exception {
        List<ChildProcess> processes = new ArrayList<>();
        try {
            processes.add(ChildProcess.start(lakeClasspath, "256m", dir.resolve("zookeeper.log"), ZOOKEEPER_MAIN,
                    List.of(Integer.toString(ZOOKEEPER_PORT), dir.resolve("zookeeper").toString()))
                    .awaitPort(ZOOKEEPER_PORT, Duration.ofMinutes(1)));
            Path coordinator = config(dir.resolve("coordinator"), List.of(
                    "bind.listeners: FLUSS://127.0.0.1:" + COORDINATOR_PORT));
            processes.add(ChildProcess.start(lakeClasspath, "1g", dir.resolve("coordinator.log"),
                    "org.apache.fluss.server.coordinator.CoordinatorServer",
                    List.of("--configDir", coordinator.toString()))
                    .awaitPort(COORDINATOR_PORT, Duration.ofMinutes(2)));
            for (int id = 0; id < tabletServers; id++) {
                Path tablet = config(dir.resolve("tablet-server-" + id), List.of(
                        "bind.listeners: FLUSS://127.0.0.1:" + (COORDINATOR_PORT + 1 + id),
                        "tablet-server.id: " + id,
                        "data.dir: " + dir.resolve("tablet-server-" + id).resolve("data")));
                processes.add(ChildProcess.start(lakeClasspath, "1g", dir.resolve("tablet-server-" + id + ".log"),
                        "org.apache.fluss.server.tablet.TabletServer", List.of("--configDir", tablet.toString()))
                        .awaitPort(COORDINATOR_PORT + 1 + id, Duration.ofMinutes(2)));
            }
            return new FlussSystem(processes, peersClasspath, dir, lakeClasspath);
        } catch (Exception e) {
            stopAll(processes);
            throw e;
        }
    }

    /** A config directory with a server.yaml: the shared settings and the server's own. */
    private static Path config(Path dir, List<String> own) throws Exception {
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>(List.of(
                "zookeeper.address: 127.0.0.1:" + ZOOKEEPER_PORT,
                "remote.data.dir: " + dir.getParent().resolve("remote"),
                "datalake.format: iceberg",
                "datalake.iceberg.type: hadoop",
                "datalake.iceberg.warehouse: " + dir.getParent().resolve("lake").toAbsolutePath()));
        lines.addAll(own);
        Files.write(dir.resolve("server.yaml"), lines);
        return dir;
    }

    @Override
    public String name() {
        return "Fluss";
    }

    @Override
    public String bootstrap() {
        return "127.0.0.1:" + COORDINATOR_PORT;
    }


    /** The union read needs Fluss's Flink connector: its driver runs on the lake classpath. */
    @Override
    public Driver driver(String scenario) {
        return scenario.equals("union-read")
                ? new Driver(lakeClasspath, "io.thermocline.benchmarks.peers.lake.FlussUnionReadDriver", List.of())
                : super.driver(scenario);
    }

    @Override
    public Path lakeWarehouse() {
        return dir.resolve("lake").toAbsolutePath();
    }

    @Override
    public void startTiering() throws Exception {
        if (tiering == null) {
            tiering = ChildProcess.start(lakeClasspath, "1g", dir.resolve("tiering.log"),
                    "org.apache.fluss.flink.tiering.FlussLakeTieringEntrypoint", List.of(
                            "--fluss.bootstrap.servers", bootstrap(),
                            // It asks for a due table every 30 s by default; Thermocline's job every 200 ms.
                            "--fluss.tiering.poll.table.interval", "200ms",
                            "--datalake.format", "iceberg",
                            "--datalake.iceberg.type", "hadoop", "--datalake.iceberg.warehouse",
                            lakeWarehouse().toString()));
        }
    }

    @Override
    public void close() throws Exception {
        if (tiering != null) {
            tiering.close();
        }
        super.close();
    }
}
