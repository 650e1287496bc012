package io.thermocline.benchmarks.versus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Apache Kafka in KRaft mode from Maven Central: node 1 is broker and controller, the others
 * brokers; each formatted with the same cluster id, each its own JVM.
 */
final class KafkaSystem extends PeerSystem {
    /** The scenarios it has: Kafka has no primary-key tables and no lake of its own. */
    static final Set<String> SCENARIOS = Set.of("append", "latency", "projection");
    private static final int BASE_PORT = 19500;
    private static final int CONTROLLER_PORT = 19590;

    private final int nodes;

    private KafkaSystem(List<ChildProcess> brokers, String peersClasspath, int nodes) {
        super(brokers, peersClasspath);
        this.nodes = nodes;
    }

    static KafkaSystem start(Path dir, String peersClasspath, int nodes) throws Exception {
        String clusterId = kafkaUuid();
        List<ChildProcess> brokers = new ArrayList<>();
        try {
            for (int node = 1; node <= nodes; node++) {
                Path config = writeConfig(dir, node);
                ChildProcess.start(peersClasspath, "256m", dir.resolve("format-" + node + ".log"),
                        "kafka.tools.StorageTool", List.of("format", "-t", clusterId, "-c", config.toString()))
                        .awaitSuccess(Duration.ofMinutes(2));
                brokers.add(ChildProcess.start(peersClasspath, "1g", dir.resolve("broker-" + node + ".log"),
                        "kafka.Kafka",
                        List.of(config.toString())));
            }
            for (int node = 1; node <= nodes; node++) {
                brokers.get(node - 1).awaitPort(BASE_PORT + node, Duration.ofMinutes(2));
            }
            return new KafkaSystem(brokers, peersClasspath, nodes);
        } catch (Exception e) {
            stopAll(brokers);
            throw e;
        }
    }

    /** Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. */
    private static String kafkaUuid() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private static Path writeConfig(Path dir, int node) throws Exception {
        boolean controller = node == 1;
        String listeners = "PLAINTEXT://127.0.0.1:" + (BASE_PORT + node)
                + (controller ? ",CONTROLLER://127.0.0.1:" + CONTROLLER_PORT : "");
        String config = String.join("\n",
                "process.roles=" + (controller ? "broker,controller" : "broker"),
                "node.id=" + node,
                "controller.quorum.voters=1@127.0.0.1:" + CONTROLLER_PORT,
                "listeners=" + listeners,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + (BASE_PORT + node),
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data-" + node),
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") + "\n";
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("server-" + node + ".properties"), config);
    }

    @Override
    public String name() {
        return "Kafka";
    }


    @Override
    public String bootstrap() {
        return IntStream.rangeClosed(1, nodes).mapToObj(n -> "127.0.0.1:" + (BASE_PORT + n))
                .collect(Collectors.joining(","));
    }
}
