package io.thermocline.server.config;

import io.thermocline.common.config.ConfigOption;
import io.thermocline.common.config.ConfigOptions;
import io.thermocline.common.config.MemorySize;

import java.time.Duration;

/** Every option of a tablet server. Table options may override the log ones per table. */
public final class ServerOptions {
    private ServerOptions() {}

    /** Most buckets a table or partition may have. */
    public static final int MAX_BUCKETS = 4096;

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

    public static final ConfigOption<MemorySize> FETCH_MAX_BYTES = ConfigOptions.key("fetch.max-bytes")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(64))
            .withDescription("Most bytes one fetch response carries, whatever the reader asks (a reader asking more"
                    + " gets this much, and at least one batch): a fetch must not be able to take a server's heap.")
            .checkedBy(s -> s.bytes() >= 1024 && s.bytes() <= Integer.MAX_VALUE, "between 1 kb and 2 gb - 1");

    public static final ConfigOption<Integer> PREFIX_LOOKUP_MAX_ROWS = ConfigOptions.key("lookup.prefix.max-rows")
            .intType()
            .defaultValue(10_000)
            .withDescription("Most rows one prefix lookup answer carries; the client asks for the rest page by page, so"
                    + " a prefix matching a whole bucket holds the bucket only for one page's scan at a time.")
            .checkedBy(n -> n >= 1, "at least 1");

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

    public static final ConfigOption<Duration> LOG_RETENTION_CHECK_INTERVAL =
            ConfigOptions.key("log.retention.check-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription("How often a tablet server deletes the segments its buckets no longer keep.")
                    .checkedBy(d -> d.toMillis() >= 10, "at least 10 ms");

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

    public static final ConfigOption<Duration> WRITER_IDLE_EXPIRY = ConfigOptions.key("writer.idle-expiry")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("A bucket forgets an idempotent writer that appended nothing for this long; if it returns"
                    + " it is taken as a new writer (a retry older than this could then be appended twice).")
            .checkedBy(d -> d.toMillis() >= 1000, "at least 1 s");

    public static final ConfigOption<Integer> WRITER_MAX_PER_BUCKET = ConfigOptions.key("writer.max-per-bucket")
            .intType()
            .defaultValue(10_000)
            .withDescription("Most idempotent writers a bucket remembers; past it the idlest one is forgotten first.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<String> ZOOKEEPER_ADDRESS = ConfigOptions.key("zookeeper.address")
            .stringType()
            .noDefaultValue()
            .withDescription("ZooKeeper connect string of the metadata ensemble, e.g. zk1:2181,zk2:2181.");

    public static final ConfigOption<String> ZOOKEEPER_ROOT = ConfigOptions.key("zookeeper.root")
            .stringType()
            .defaultValue("thermocline")
            .withDescription("Root node of this cluster's metadata, so that clusters may share an ensemble.");

    public static final ConfigOption<Duration> ZOOKEEPER_SESSION_TIMEOUT = ConfigOptions.key("zookeeper.session-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(18))
            .withDescription("A server whose session expires is considered dead; its buckets move elsewhere.")
            .checkedBy(d -> d.toMillis() >= 1000, "at least 1 s");

    public static final ConfigOption<String> BIND_HOST = ConfigOptions.key("bind.host")
            .stringType()
            .defaultValue("127.0.0.1")
            .withDescription("Address a coordinator or tablet server listens on and advertises.");

    public static final ConfigOption<Integer> BIND_PORT = ConfigOptions.key("bind.port")
            .intType()
            .defaultValue(0)
            .withDescription("Port a coordinator or tablet server listens on; 0 picks a free one.")
            .checkedBy(p -> p >= 0 && p <= 65535, "between 0 and 65535");

    public static final ConfigOption<String> LISTENERS = ConfigOptions.key("listeners")
            .stringType()
            .noDefaultValue()
            .withDescription("The server's listeners, comma-separated PROTOCOL://HOST:PORT with one listener per"
                    + " protocol (PLAINTEXT, SASL_PLAINTEXT, SASL_SSL), e.g. PLAINTEXT://10.0.0.5:9123,"
                    + "SASL_SSL://0.0.0.0:9124. Other servers connect to the listener of security.protocol,"
                    + " clients to any; each client is told the addresses of the listener it asked on. Unset: one"
                    + " PLAINTEXT listener on bind.host and bind.port. A host of 0.0.0.0 binds everywhere and"
                    + " registers bind.host.")
            .checkedBy(v -> v.isBlank() || java.util.Arrays.stream(v.split(",")).allMatch(l -> l.trim()
                    .matches("(PLAINTEXT|SASL_PLAINTEXT|SASL_SSL)://[^:/]+:\\d+")),
                    "PROTOCOL://HOST:PORT, comma-separated");

    public static final ConfigOption<Boolean> AUTHORIZATION_ENABLED = ConfigOptions.key("authorization.enabled")
            .booleanType()
            .defaultValue(false)
            .withDescription("Check every request against the ACLs (docs/security.md): what no ACL allows is denied,"
                    + " a matching DENY wins over any ALLOW, super users may do everything. Off: every connection"
                    + " may do everything.");

    public static final ConfigOption<String> SUPER_USERS = ConfigOptions.key("super.users")
            .stringType()
            .defaultValue("")
            .withDescription("Principals that pass every authorization check, semicolon-separated, e.g."
                    + " User:admin;User:broker. Servers' own principal (security.sasl.username) belongs here.");

    public static final ConfigOption<Integer> METRICS_PORT = ConfigOptions.key("metrics.port")
            .intType()
            .defaultValue(-1)
            .withDescription("Port on the bind host where the server serves its Prometheus metrics at /metrics:"
                    + " request rates and latencies per API and, on tablet servers, rows and bytes written,"
                    + " lookups, in-sync replicas, high watermarks and tiering lag per bucket. -1 serves none;"
                    + " 0 picks a free port.")
            .checkedBy(p -> p >= -1 && p <= 65535, "between -1 and 65535");

    public static final ConfigOption<Integer> TABLET_SERVER_ID = ConfigOptions.key("tablet-server.id")
            .intType()
            .noDefaultValue()
            .withDescription("Unique, stable id of a tablet server; its data directory belongs to it.")
            .checkedBy(id -> id >= 0, "at least 0");

    public static final ConfigOption<String> DATA_DIR = ConfigOptions.key("data.dir")
            .stringType()
            .noDefaultValue()
            .withDescription("Directory of a tablet server's bucket logs.");

    public static final ConfigOption<Integer> DEFAULT_BUCKET_COUNT = ConfigOptions.key("default.bucket-count")
            .intType()
            .defaultValue(1)
            .withDescription("Buckets of a table created without a bucket count.")
            .checkedBy(n -> n >= 1 && n <= MAX_BUCKETS, "between 1 and " + MAX_BUCKETS);

    public static final ConfigOption<Integer> DEFAULT_REPLICATION_FACTOR = ConfigOptions.key("default.replication-factor")
            .intType()
            .defaultValue(3)
            .withDescription("Replicas of each bucket of a table created without a replication factor; fewer when"
                    + " fewer tablet servers are alive.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Duration> REPLICA_LAG_TIME_MAX = ConfigOptions.key("replica.lag-time-max")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("A follower that has not caught up with its leader for this long leaves the in-sync"
                    + " replicas, so that acks=all writes stop waiting for it.")
            .checkedBy(d -> d.toMillis() >= 100, "at least 100 ms");

    public static final ConfigOption<Duration> CONTROLLED_SHUTDOWN_TIMEOUT = ConfigOptions.key("controlled-shutdown.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("How long a stopping tablet server waits for the coordinator to move its leaderships to"
                    + " other in-sync replicas; 0 ms stops at once.")
            .checkedBy(d -> !d.isNegative(), "0 or positive");

    public static final ConfigOption<Duration> SHUTDOWN_TIMEOUT = ConfigOptions.key("shutdown.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(45))
            .withDescription("The longest a server process takes to stop after SIGTERM, with or without a coordinator"
                    + " or ZooKeeper: a tablet server's controlled shutdown gets at most two thirds of it (and no more than"
                    + " controlled-shutdown.timeout), then logs are flushed and the process ends; one still running"
                    + " when the time is up halts, as a crash would.")
            .checkedBy(d -> d.toMillis() >= 1000, "at least 1 s");

    public static final ConfigOption<Integer> MAX_PARTITIONS_PER_TABLE = ConfigOptions.key("coordinator.max-partitions-per-table")
            .intType()
            .defaultValue(1000)
            .withDescription("Most partitions one table may have; creating one more fails with TooManyPartitions.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Duration> TIERING_HEARTBEAT_TIMEOUT =
            ConfigOptions.key("coordinator.tiering.heartbeat-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("A tiering job that sends no heartbeat for a table this long loses it: the table is"
                            + " due again for any job and the silent job's tiering epoch is fenced.")
                    .checkedBy(d -> d.toMillis() >= 100, "at least 100 ms");

    public static final ConfigOption<Duration> TIERING_RETRY_DELAY =
            ConfigOptions.key("coordinator.tiering.retry-delay")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("After a failed tiering round, how long before the table is due again (at most"
                            + " its freshness); each further failure in a row doubles it, up to"
                            + " coordinator.tiering.retry-max-delay.")
                    .checkedBy(d -> !d.isNegative(), "0 or positive");

    public static final ConfigOption<Duration> TIERING_RETRY_MAX_DELAY =
            ConfigOptions.key("coordinator.tiering.retry-max-delay")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("The longest wait between retries of a table whose tiering rounds keep failing"
                            + " (the lake's catalog or object store unreachable): the bound on how late tiering"
                            + " resumes after the lake is back.")
                    .checkedBy(d -> !d.isNegative(), "0 or positive");

    public static final ConfigOption<Boolean> SHARE_LAKE_CATALOG =
            ConfigOptions.key("coordinator.lake.share-catalog-options")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Whether the coordinator hands its lake catalog's options (credentials included)"
                            + " to clients that may READ a table, so their union reads and t$lake need no lake options"
                            + " of their own. false: no client receives them; clients name their own lake.catalog.*"
                            + " options (READ on the table is checked all the same).");

    public static final ConfigOption<Boolean> AUTO_LEADER_REBALANCE = ConfigOptions.key("coordinator.auto-leader-rebalance")
            .booleanType()
            .defaultValue(true)
            .withDescription("Whether the active coordinator moves leaderships back to their preferred replicas (the"
                    + " first of each bucket's replicas) by itself, once those are back and in sync, as Kafka's"
                    + " auto.leader.rebalance.enable does; ./thermocline elect-leaders does it at once.");

    public static final ConfigOption<Duration> LEADER_REBALANCE_INTERVAL =
            ConfigOptions.key("coordinator.leader-rebalance.interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription("How often the automatic leader rebalance runs.")
                    .checkedBy(d -> d.toMillis() >= 10, "at least 10 ms");

    public static final ConfigOption<Duration> AUTO_PARTITION_CHECK_INTERVAL =
            ConfigOptions.key("coordinator.auto-partition.check-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("How often the active coordinator creates upcoming and drops expired automatic"
                            + " time partitions.")
                    .checkedBy(d -> d.toMillis() >= 10, "at least 10 ms");

    public static final ConfigOption<String> KV_SNAPSHOT_DIR = ConfigOptions.key("kv.snapshot.dir")
            .stringType()
            .noDefaultValue()
            .withDescription("Where the KV snapshots of primary-key tables live, reachable by every tablet server:"
                    + " an object store (s3://bucket/prefix, with the lake.catalog.s3.* settings) or a shared"
                    + " directory. A new leader restores the latest and replays the changelog from it, so retention"
                    + " may drop the changelog before the oldest snapshot kept. Unset: no snapshots, and primary-key"
                    + " tables keep their whole changelog.");

    public static final ConfigOption<Duration> KV_SNAPSHOT_INTERVAL = ConfigOptions.key("kv.snapshot.interval")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("How often a leader snapshots the KV tablets of the primary-key buckets it leads.")
            .checkedBy(d -> d.toMillis() >= 10, "at least 10 ms");

    public static final ConfigOption<Integer> KV_SNAPSHOT_RETAINED = ConfigOptions.key("kv.snapshot.retained")
            .intType()
            .defaultValue(2)
            .withDescription("KV snapshots kept per bucket; older ones, and files only they used, are deleted.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Integer> KV_SNAPSHOT_TRANSFER_THREADS =
            ConfigOptions.key("kv.snapshot.transfer-threads")
            .intType()
            .defaultValue(4)
            .withDescription("Files of KV snapshots a tablet server uploads or downloads at once.")
            .checkedBy(n -> n >= 1 && n <= 64, "1 to 64");
}
