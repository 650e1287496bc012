package io.thermocline.server.config;

import io.thermocline.common.config.ConfigOption;
import io.thermocline.common.config.ConfigOptions;
import io.thermocline.common.config.MemorySize;

import java.time.Duration;

/** Every option of a tablet server. Table options may override the log ones per table. */
public final class ServerOptions {
    private ServerOptions() {}

    public static final ConfigOption<MemorySize> LOG_SEGMENT_SIZE = ConfigOptions.key("log.segment.size")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(1024))
            .withDescription("A bucket's active segment rolls over once an append would grow it past this size.")
            .checkedBy(s -> s.bytes() >= 1024 && s.bytes() <= Integer.MAX_VALUE, "between 1 kb and 2 gb - 1");

    public static final ConfigOption<Duration> LOG_SEGMENT_MAX_AGE = ConfigOptions.key("log.segment.max-age")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("The active segment rolls over once its first batch is this old, so that"
                    + " time-based retention can delete it.")
            .checkedBy(d -> !d.isNegative() && !d.isZero(), "positive");

    public static final ConfigOption<MemorySize> LOG_INDEX_INTERVAL = ConfigOptions.key("log.index.interval")
            .memoryType()
            .defaultValue(MemorySize.parse("4 kb"))
            .withDescription("Log bytes between two entries of the sparse offset and time indexes.")
            .checkedBy(s -> s.bytes() >= 1 && s.bytes() <= Integer.MAX_VALUE, "between 1 b and 2 gb - 1");

    public static final ConfigOption<MemorySize> LOG_MAX_BATCH_SIZE = ConfigOptions.key("log.max-batch-size")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(8))
            .withDescription("Largest batch an append accepts.")
            .checkedBy(s -> s.bytes() >= 64 && s.bytes() <= Integer.MAX_VALUE, "between 64 b and 2 gb - 1");

    public static final ConfigOption<Long> LOG_RETENTION_BYTES = ConfigOptions.key("log.retention.bytes")
            .longType()
            .defaultValue(-1L)
            .withDescription("Size a bucket's log may keep before its oldest segments are deleted; -1 for no limit.")
            .checkedBy(n -> n >= -1, "-1 or at least 0");

    public static final ConfigOption<Duration> LOG_RETENTION_TIME = ConfigOptions.key("log.retention.time")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("Age after which a closed segment is deleted, judged by its newest commit timestamp;"
                    + " 0 ms keeps data forever.")
            .checkedBy(d -> !d.isNegative(), "0 or positive");

    public static final ConfigOption<Long> LOG_FLUSH_INTERVAL_RECORDS = ConfigOptions.key("log.flush.interval-records")
            .longType()
            .defaultValue(Long.MAX_VALUE)
            .withDescription("Records appended before the log is forced to disk. By default the log relies on"
                    + " replication and fsyncs only when a segment rolls and on shutdown.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Duration> LOG_FLUSH_INTERVAL = ConfigOptions.key("log.flush.interval")
            .durationType()
            .defaultValue(Duration.ZERO)
            .withDescription("Longest time appended data stays unforced; 0 ms (the default) disables"
                    + " time-based flushes and leaves durability to replication and segment rolls.")
            .checkedBy(d -> !d.isNegative(), "0 or positive");
}
