package io.thermocline.benchmarks.versus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Apache Fluss from Maven Central: a ZooKeeper (the one Fluss's server jar carries), a
 * coordinator and tablet servers, each its own JVM, configured by a {@code server.yaml} each.
 */
final class FlussSystem extends PeerSystem {
    private static final int ZOOKEEPER_PORT = 19600;
    private static final int COORDINATOR_PORT = 19610;
    private static final String ZOOKEEPER_MAIN = "org.apache.fluss.shaded.zookeeper3.org.apache.zookeeper.server"
            + ".ZooKeeperServerMain";

    private FlussSystem(List<ChildProcess> processes, String peersClasspath) {
        super(processes, peersClasspath);
    }

    static FlussSystem start(Path dir, String peersClasspath, int tabletServers) throws Exception {
        List<ChildProcess> processes = new ArrayList<>();
        try {
            processes.add(ChildProcess.start(peersClasspath, "256m", dir.resolve("zookeeper.log"), ZOOKEEPER_MAIN,
                    List.of(Integer.toString(ZOOKEEPER_PORT), dir.resolve("zookeeper").toString()))
                    .awaitPort(ZOOKEEPER_PORT, Duration.ofMinutes(1)));
            Path coordinator = config(dir.resolve("coordinator"), List.of(
                    "bind.listeners: FLUSS://127.0.0.1:" + COORDINATOR_PORT));
            processes.add(ChildProcess.start(peersClasspath, "1g", dir.resolve("coordinator.log"),
                    "org.apache.fluss.server.coordinator.CoordinatorServer", List.of("--configDir", coordinator.toString()))
                    .awaitPort(COORDINATOR_PORT, Duration.ofMinutes(2)));
            for (int id = 0; id < tabletServers; id++) {
                Path tablet = config(dir.resolve("tablet-server-" + id), List.of(
                        "bind.listeners: FLUSS://127.0.0.1:" + (COORDINATOR_PORT + 1 + id),
                        "tablet-server.id: " + id,
                        "data.dir: " + dir.resolve("tablet-server-" + id).resolve("data")));
                processes.add(ChildProcess.start(peersClasspath, "1g", dir.resolve("tablet-server-" + id + ".log"),
                        "org.apache.fluss.server.tablet.TabletServer", List.of("--configDir", tablet.toString()))
                        .awaitPort(COORDINATOR_PORT + 1 + id, Duration.ofMinutes(2)));
            }
            return new FlussSystem(processes, peersClasspath);
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
                "remote.data.dir: " + dir.getParent().resolve("remote")));
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
}
