package io.thermocline.gateway;

import io.thermocline.common.config.ConfigOption;
import io.thermocline.common.config.ConfigOptions;

import java.time.Duration;

/**
 * Options of the JDBC gateway. It also takes the client options (at least
 * {@code bootstrap.servers}), given to the catalog of every session, and Flink options under
 * {@code flink.} (e.g. {@code flink.execution.target}), given to every session with the prefix
 * removed.
 */
public final class GatewayOptions {
    private GatewayOptions() {}

    public static final String FLINK_PREFIX = "flink.";

    public static final ConfigOption<String> HOST = ConfigOptions.key("gateway.host")
            .stringType()
            .defaultValue("0.0.0.0")
            .withDescription("Address the HTTP server binds to.");

    public static final ConfigOption<Integer> PORT = ConfigOptions.key("gateway.port")
            .intType()
            .defaultValue(8765)
            .withDescription("Port of the Avatica HTTP server (protobuf serialization); 0 picks a free one.")
            .checkedBy(p -> p >= 0 && p <= 65535, "between 0 and 65535");

    public static final ConfigOption<String> CATALOG_NAME = ConfigOptions.key("gateway.catalog-name")
            .stringType()
            .defaultValue("thermocline")
            .withDescription("Name of the Thermocline catalog, the default catalog of every session.");

    public static final ConfigOption<String> DEFAULT_DATABASE = ConfigOptions.key("gateway.default-database")
            .stringType()
            .defaultValue("default")
            .withDescription("Database a new session uses; created when missing.");

    public static final ConfigOption<Duration> IDLE_TIMEOUT = ConfigOptions.key("gateway.connection.idle-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(30))
            .withDescription("A JDBC connection unused this long is closed with its statements and their jobs.")
            .checkedBy(d -> d.toMillis() >= 100, "at least 100 ms");

    public static final ConfigOption<Integer> MAX_STATEMENTS = ConfigOptions.key("gateway.connection.max-statements")
            .intType()
            .defaultValue(64)
            .withDescription("Open statements one JDBC connection may hold; creating one more is an error until"
                    + " some are closed.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Integer> MAX_FRAME_ROWS = ConfigOptions.key("gateway.fetch.max-rows")
            .intType()
            .defaultValue(10_000)
            .withDescription("Most rows one fetch returns, whatever the client asks: results are paged, never"
                    + " held whole.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Duration> STREAMING_FETCH_WAIT = ConfigOptions.key("gateway.fetch.streaming-wait")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("How long a fetch of a streaming query waits for rows before it returns what it has"
                    + " (possibly none); the query goes on until the statement is closed or its max rows are read.")
            .checkedBy(d -> d.toMillis() >= 1, "at least 1 ms");

    public static final ConfigOption<Integer> MAX_STATEMENT_LENGTH = ConfigOptions.key("gateway.statement.max-length")
            .intType()
            .defaultValue(1 << 20)
            .withDescription("Longest SQL text accepted, in characters; a longer one is refused before parsing.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Integer> EMBEDDED_FLINK_SLOTS = ConfigOptions.key("gateway.flink.embedded-slots")
            .intType()
            .defaultValue(8)
            .withDescription("Without flink.execution.target, the gateway runs every session's jobs on a Flink"
                    + " MiniCluster of its own with this many task slots (each running query or INSERT job takes"
                    + " some). With flink.execution.target (e.g. remote, with flink.rest.address and"
                    + " flink.rest.port), jobs go to that cluster instead.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<String> USERS_FILE = ConfigOptions.key("gateway.auth.users-file")
            .stringType()
            .noDefaultValue()
            .withDescription("Turns on HTTP Basic authentication: a properties file of 'user: password, thermocline'"
                    + " lines (Jetty's realm format; the role must be thermocline). Unset, anyone may connect.");

    public static final ConfigOption<String> TLS_KEYSTORE = ConfigOptions.key("gateway.tls.keystore")
            .stringType()
            .noDefaultValue()
            .withDescription("Turns on TLS (HTTPS): the JKS or PKCS12 keystore holding the server's key and"
                    + " certificate.");

    public static final ConfigOption<String> TLS_KEYSTORE_PASSWORD = ConfigOptions.key("gateway.tls.keystore-password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password of the keystore.");

    /** Whose credentials a JDBC connection's statements use on a SASL cluster. */
    public enum ClusterCredentials {
        /** The gateway's own (security.sasl.* among its options): every SQL user acts as the gateway. */
        GATEWAY,
        /** The connection's own user and password properties: ACLs apply to each SQL user. */
        CONNECTION
    }

    public static final ConfigOption<ClusterCredentials> CLUSTER_CREDENTIALS =
            ConfigOptions.key("gateway.cluster.credentials")
            .enumType(ClusterCredentials.class)
            .defaultValue(ClusterCredentials.GATEWAY)
            .withDescription("Whose credentials statements use on the cluster. GATEWAY: the gateway's own"
                    + " security.sasl.* options. CONNECTION: each JDBC connection authenticates to the cluster as its"
                    + " own user and password properties, so that the cluster's ACLs apply to every SQL user (a"
                    + " connection without them is refused).");

    public static final ConfigOption<String> ALLOWED_CONNECTORS = ConfigOptions.key("gateway.allowed-connectors")
            .stringType()
            .defaultValue("datagen,print,blackhole")
            .withDescription("Connectors (comma-separated identifiers) that SQL users may use in tables of their own,"
                    + " temporary or in another catalog; the Thermocline catalog's tables are always allowed. A"
                    + " statement that creates, reads or writes a table of any other connector is refused with its"
                    + " name (connectors such as filesystem would hand users the gateway host's files).");

    public static final ConfigOption<String> ALLOWED_SET_OPTIONS = ConfigOptions.key("gateway.allowed-set-options")
            .stringType()
            .defaultValue("execution.runtime-mode,execution.checkpointing.interval,execution.checkpointing.mode,"
                    + "parallelism.default,pipeline.name,table.exec.*,table.optimizer.*,table.local-time-zone,"
                    + "table.display.*,thermocline.optimizer.*,sql-client.*")
            .withDescription("Session options SQL users may SET (comma-separated keys; a trailing * matches every key"
                    + " with that prefix). SET of any other key is refused with its name: options that change class"
                    + " paths, cluster addresses or file locations are the administrator's.");

    public static final ConfigOption<String> ALLOWED_CATALOG_TYPES = ConfigOptions.key("gateway.allowed-catalog-types")
            .stringType()
            .defaultValue("")
            .withDescription("Catalog types (comma-separated) SQL users may create with CREATE CATALOG; none by"
                    + " default.");

    public static final ConfigOption<Boolean> ALLOW_JARS = ConfigOptions.key("gateway.allow-jars")
            .booleanType()
            .defaultValue(false)
            .withDescription("Whether SQL users may ADD JAR, REMOVE JAR and create functions from jars (USING JAR)"
                    + " or in languages other than Java and Scala: code that runs in the gateway and its Flink"
                    + " cluster.");

    public static final ConfigOption<Boolean> ALLOW_JOB_CONTROL = ConfigOptions.key("gateway.allow-job-control")
            .booleanType()
            .defaultValue(false)
            .withDescription("Whether SQL users may SHOW JOBS, and DESCRIBE JOB or STOP JOB of any job of the Flink"
                    + " cluster. Without it, a connection may describe and stop only the jobs its own statements"
                    + " started.");

    public static final ConfigOption<Integer> MAX_CONNECTIONS = ConfigOptions.key("gateway.max-connections")
            .intType()
            .defaultValue(256)
            .withDescription("Open JDBC connections (each a Flink session) the gateway holds in all; opening one more"
                    + " is refused until some are closed.")
            .checkedBy(n -> n >= 1, "at least 1");

    public static final ConfigOption<Integer> MAX_CONNECTIONS_PER_USER = ConfigOptions
            .key("gateway.max-connections-per-user")
            .intType()
            .defaultValue(32)
            .withDescription("Open JDBC connections one user may hold (the authenticated user, else the user"
                    + " property; connections without a user count as one user).")
            .checkedBy(n -> n >= 1, "at least 1");
}
