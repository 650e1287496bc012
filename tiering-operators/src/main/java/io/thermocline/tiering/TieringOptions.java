package io.thermocline.tiering;

import io.thermocline.common.config.ConfigOption;
import io.thermocline.common.config.ConfigOptions;
import io.thermocline.common.config.MemorySize;

import java.time.Duration;

/**
 * Options of a tiering job. The job also takes the client options (at least
 * {@code bootstrap.servers}) and the lake catalog options ({@code lake.catalog.*}) from the same
 * configuration.
 */
public final class TieringOptions {
    private TieringOptions() {}

    public static final ConfigOption<String> JOB_ID = ConfigOptions.key("tiering.job-id")
            .stringType()
            .noDefaultValue()
            .withDescription("Names this tiering job to the coordinator; unset, a random id. Several jobs may run at"
                    + " once and share the due tables.");

    public static final ConfigOption<Duration> POLL_INTERVAL = ConfigOptions.key("tiering.poll-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("How often a job with room for more rounds asks the coordinator for due tables; it"
                    + " takes every due table it has room for at once. A table is tiered at most this long after it"
                    + " is due.")
            .checkedBy(d -> d.toMillis() >= 10, "at least 10 ms");

    public static final ConfigOption<Duration> HEARTBEAT_INTERVAL = ConfigOptions.key("tiering.heartbeat-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(3))
            .withDescription("How often the job tells the coordinator it still works on its rounds; keep it well below"
                    + " the coordinator's coordinator.tiering.heartbeat-timeout.")
            .checkedBy(d -> d.toMillis() >= 10, "at least 10 ms");

    public static final ConfigOption<Integer> MAX_CONCURRENT_ROUNDS = ConfigOptions.key("tiering.max-concurrent-rounds")
            .intType()
            .defaultValue(4)
            .withDescription("Tables one job tiers at the same time.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Long> MAX_ROUND_OFFSETS = ConfigOptions.key("tiering.max-round-offsets")
            .longType()
            .defaultValue(200_000L)
            .withDescription("Offsets of one bucket a round tiers at most. A table further behind is tiered in several"
                    + " rounds, each committed on its own and the next begun at once, so a large backlog (a table"
                    + " enabled for the lake with data, or a lake outage) does not become one round that takes long"
                    + " and is lost whole when the job fails.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Duration> READ_STALL_TIMEOUT = ConfigOptions.key("tiering.read-stall-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(2))
            .withDescription("A bucket whose rows stop coming for this long, short of the end its round fixed, fails the"
                    + " job's open rounds, which start again from the lake: its log may end below that end now (an"
                    + " unclean leader election truncated it) or no leader may be reachable. Without it such a round"
                    + " would hold its table until new writes passed the end.")
            .checkedBy(d -> d.toMillis() >= 100, "at least 100 ms");

    public static final ConfigOption<MemorySize> TARGET_FILE_SIZE = ConfigOptions.key("tiering.target-file-size")
            .memoryType()
            .defaultValue(MemorySize.parse("128 mb"))
            .withDescription("A bucket's data file is closed and another begun past this size.");

    public static final ConfigOption<MemorySize> ROW_GROUP_SIZE = ConfigOptions.key("tiering.row-group-size")
            .memoryType()
            .defaultValue(MemorySize.parse("32 mb"))
            .withDescription("Parquet row group size; bounds the memory each bucket being written holds.");
}
