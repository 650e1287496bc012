package io.thermocline.testservers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A one-node Apache Kafka (KRaft: broker and controller in one process) on 127.0.0.1, its log in
 * a folder beside it. A stop and a start keep its port and its topics.
 */
public final class KafkaServer extends ServerProcess {
    private final int controllerPort = freePort();

    private KafkaServer(Path dir) {
        super(dir);
    }

    /** Formats the storage in {@code dir} and starts the broker. */
    public static KafkaServer start(Path dir) {
        KafkaServer server = new KafkaServer(dir);
        try {
            server.format();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.start();
        return server;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    protected List<String> command() {
        return List.of(java(), "-Xmx512m", "-cp", serversClasspath(), "kafka.Kafka", config().toString());
    }

    @Override
    protected String name() {
        return "kafka";
    }

    private Path config() {
        return dir.resolve("server.properties");
    }

    private void format() throws IOException {
        Files.writeString(config(), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0", ""));
        // Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding.
        UUID uuid = UUID.randomUUID();
        String clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
        Process format = new ProcessBuilder(java(), "-Xmx256m", "-cp", serversClasspath(), "kafka.tools.StorageTool",
                "format", "-t", clusterId, "-c", config().toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("format.log").toFile()).start();
        try {
            if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("Kafka's storage format failed; see " + dir.resolve("format.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
