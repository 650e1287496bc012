package io.thermocline.client.api;

import io.thermocline.common.config.ConfigOption;
import io.thermocline.common.config.ConfigOptions;
import io.thermocline.common.config.MemorySize;

import java.time.Duration;

/** Every option of the Java client; RPC options (timeouts, frame size) apply as well. */
public final class ClientOptions {
    private ClientOptions() {}

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("bootstrap.servers")
            .stringType()
            .noDefaultValue()
            .withDescription("Comma-separated host:port of coordinators to start from; the client finds the"
                    + " active one among them.");

    public static final ConfigOption<Duration> ADMIN_TIMEOUT = ConfigOptions.key("client.admin.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("How long an admin operation keeps retrying retriable errors (coordinator"
                    + " failover, lost connections) before it fails.")
            .checkedBy(d -> !d.isNegative() && !d.isZero(), "positive");

    public static final ConfigOption<Duration> RETRY_BACKOFF = ConfigOptions.key("client.retry.backoff")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("Pause before retrying after a retriable error.")
            .checkedBy(d -> !d.isNegative(), "0 or positive");

    /** How many replicas must hold a write before the writer counts it as done. */
    public enum Acks {
        /** Every in-sync replica, and at least the table's min in-sync replicas (the default). */
        ALL,
        /** The leader alone: a leader crash before replication loses the write. */
        LEADER,
        /** Nobody: sent and forgotten; rows get no offsets. */
        NONE
    }

    public static final ConfigOption<Acks> WRITER_ACKS = ConfigOptions.key("client.writer.acks")
            .enumType(Acks.class)
            .defaultValue(Acks.ALL)
            .withDescription("ALL (Kafka's acks=all), LEADER (acks=1) or NONE (acks=0). Only ALL survives the loss"
                    + " of a leader without losing acknowledged rows.");

    public static final ConfigOption<Boolean> WRITER_IDEMPOTENCE = ConfigOptions.key("client.writer.idempotence")
            .booleanType()
            .defaultValue(true)
            .withDescription("Writers number their batches per bucket, so that a batch retried after a lost answer"
                    + " or a leader change is appended once, and a lost batch is detected instead of skipped.");

    public static final ConfigOption<Duration> WRITER_LINGER = ConfigOptions.key("client.writer.linger")
            .durationType()
            .defaultValue(Duration.ofMillis(5))
            .withDescription("How long a batch waits for more rows before it is sent.")
            .checkedBy(d -> !d.isNegative(), "0 or positive");

    public static final ConfigOption<MemorySize> WRITER_BATCH_SIZE = ConfigOptions.key("client.writer.batch-size")
            .memoryType()
            .defaultValue(MemorySize.parse("256 kb"))
            .withDescription("A batch is sent once it holds about this many bytes.")
            .checkedBy(s -> s.bytes() >= 1024 && s.bytes() <= (64 << 20), "between 1 kb and 64 mb");

    public static final ConfigOption<MemorySize> WRITER_BUFFER_MEMORY = ConfigOptions.key("client.writer.buffer-memory")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(64))
            .withDescription("Bytes of rows a writer may hold unacknowledged; appends block beyond it.")
            .checkedBy(s -> s.bytes() >= 1024, "at least 1 kb");

    public static final ConfigOption<Duration> WRITER_MAX_BLOCK = ConfigOptions.key("client.writer.max-block")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("Longest an append blocks on full buffer memory before it fails.")
            .checkedBy(d -> !d.isNegative(), "0 or positive");

    public static final ConfigOption<Duration> WRITER_DELIVERY_TIMEOUT = ConfigOptions.key("client.writer.delivery-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(2))
            .withDescription("How long a batch keeps being retried on retriable errors before its rows fail.")
            .checkedBy(d -> !d.isNegative() && !d.isZero(), "positive");

    public static final ConfigOption<Boolean> WRITER_DYNAMIC_PARTITION_CREATION =
            ConfigOptions.key("client.writer.dynamic-partition-creation")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Writers create the partition a row names when it does not exist yet; off, such"
                            + " rows fail with PartitionNotExistException.");
}
