package io.thermocline.lake;

import io.thermocline.common.config.ConfigOption;
import io.thermocline.common.config.ConfigOptions;

import java.util.Map;
import java.util.TreeMap;

/**
 * Cluster options naming the Iceberg catalog that lake-enabled tables live in. Every key under
 * {@code lake.catalog.} is handed to Iceberg's catalog with the prefix removed, so any catalog
 * Iceberg supports (hadoop, rest, jdbc, hive, or a {@code catalog-impl} class) is configured with
 * Iceberg's own property names, e.g. {@code lake.catalog.uri}. The common ones are declared here,
 * typed and documented; any other Iceberg catalog or FileIO property passes through the same way.
 */
public final class LakeOptions {
    private LakeOptions() {}

    /** Keys under this prefix go to Iceberg's catalog without it. */
    public static final String CATALOG_PREFIX = "lake.catalog.";

    public static final ConfigOption<String> CATALOG_TYPE = ConfigOptions.key("lake.catalog.type")
            .stringType()
            .defaultValue("hadoop")
            .withDescription("Iceberg catalog type: hadoop (a local or shared warehouse directory, the default),"
                    + " rest or jdbc, the three our tests run; Iceberg's other types (hive, glue, nessie) and"
                    + " lake.catalog.catalog-impl are passed to Iceberg untested. Other lake.catalog.* keys are that"
                    + " catalog's Iceberg properties (uri, credential, ...).");

    public static final ConfigOption<String> WAREHOUSE = ConfigOptions.key("lake.catalog.warehouse")
            .stringType()
            .noDefaultValue()
            .withDescription("Warehouse location of the lake catalog, e.g. /var/lib/thermocline/lake or"
                    + " s3://bucket/lake. Unset, lake-enabled tables are refused. `thermocline local` sets it to"
                    + " <data-dir>/lake.");

    public static final ConfigOption<String> URI = ConfigOptions.key("lake.catalog.uri")
            .stringType()
            .noDefaultValue()
            .withDescription("The catalog's address: a REST catalog's base URL (https://catalog.example.com/api/catalog),"
                    + " or a JDBC catalog's database URL (jdbc:postgresql://db:5432/lake).");

    public static final ConfigOption<String> CREDENTIAL = ConfigOptions.key("lake.catalog.credential")
            .stringType()
            .noDefaultValue()
            .withDescription("REST catalogs: OAuth2 client credentials `client-id:client-secret`, exchanged for a token"
                    + " at the catalog's token endpoint (or lake.catalog.oauth2-server-uri) and refreshed by Iceberg's"
                    + " client. Write it as ${NAME} in a configuration file to keep it in the environment.");

    public static final ConfigOption<String> TOKEN = ConfigOptions.key("lake.catalog.token")
            .stringType()
            .noDefaultValue()
            .withDescription("REST catalogs: a bearer token sent with every request, for catalogs that hand out"
                    + " long-lived tokens instead of client credentials.");

    public static final ConfigOption<String> OAUTH2_SERVER_URI = ConfigOptions.key("lake.catalog.oauth2-server-uri")
            .stringType()
            .noDefaultValue()
            .withDescription("REST catalogs: the OAuth2 token endpoint, when it is not the catalog's own"
                    + " v1/oauth/tokens (an identity provider such as Keycloak).");

    public static final ConfigOption<String> SCOPE = ConfigOptions.key("lake.catalog.scope")
            .stringType()
            .noDefaultValue()
            .withDescription("REST catalogs: the OAuth2 scope asked for with lake.catalog.credential (Iceberg's"
                    + " default: PRINCIPAL_ROLE:ALL).");

    public static final ConfigOption<Long> REST_CONNECT_TIMEOUT_MS =
            ConfigOptions.key("lake.catalog.rest.client.connection-timeout-ms")
            .longType()
            .defaultValue(10_000L)
            .withDescription("REST catalogs: how long connecting to the catalog may take, in milliseconds.");

    public static final ConfigOption<Long> REST_SOCKET_TIMEOUT_MS =
            ConfigOptions.key("lake.catalog.rest.client.socket-timeout-ms")
            .longType()
            .defaultValue(60_000L)
            .withDescription("REST catalogs: how long a request may wait for the catalog's answer, in milliseconds."
                    + " A catalog whose object store is down may retry for many minutes before it answers; this"
                    + " bounds how long tiering and union reads wait before they report the lake unreachable.");

    public static final ConfigOption<String> JDBC_USER = ConfigOptions.key("lake.catalog.jdbc.user")
            .stringType()
            .noDefaultValue()
            .withDescription("JDBC catalogs: the database user.");

    public static final ConfigOption<String> JDBC_PASSWORD = ConfigOptions.key("lake.catalog.jdbc.password")
            .stringType()
            .noDefaultValue()
            .withDescription("JDBC catalogs: the database user's password.");

    public static final ConfigOption<String> IO_IMPL = ConfigOptions.key("lake.catalog.io-impl")
            .stringType()
            .noDefaultValue()
            .withDescription("The Iceberg FileIO class. Unset, REST and JDBC catalogs use Iceberg's S3FileIO when the"
                    + " warehouse is on s3:// (s3a://, s3n://) or lake.catalog.s3.* settings are given, and Iceberg's"
                    + " ResolvingFileIO (by each file's scheme) otherwise; a Hadoop catalog uses Hadoop's.");

    public static final ConfigOption<String> S3_ENDPOINT = ConfigOptions.key("lake.catalog.s3.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("S3 API endpoint for an S3-compatible store (MinIO, Ceph, s3proxy, ...); unset, AWS's for"
                    + " the region. S3 settings also reach KV snapshots on s3:// (kv.snapshot.dir).");

    public static final ConfigOption<Boolean> S3_PATH_STYLE_ACCESS = ConfigOptions.key("lake.catalog.s3.path-style-access")
            .booleanType()
            .defaultValue(false)
            .withDescription("Address buckets as endpoint/bucket/key instead of bucket.endpoint/key; most"
                    + " S3-compatible stores need true.");

    public static final ConfigOption<String> S3_REGION = ConfigOptions.key("lake.catalog.client.region")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS region of the bucket; unset, the SDK's default region chain (AWS_REGION,"
                    + " ~/.aws/config, instance metadata).");

    public static final ConfigOption<String> S3_ACCESS_KEY_ID = ConfigOptions.key("lake.catalog.s3.access-key-id")
            .stringType()
            .noDefaultValue()
            .withDescription("S3 access key id. Unset, the SDK's default credential chain (environment, web"
                    + " identity, ~/.aws, container and instance roles).");

    public static final ConfigOption<String> S3_SECRET_ACCESS_KEY =
            ConfigOptions.key("lake.catalog.s3.secret-access-key")
            .stringType()
            .noDefaultValue()
            .withDescription("S3 secret access key, with lake.catalog.s3.access-key-id; write it as ${NAME} in a"
                    + " configuration file.");

    public static final ConfigOption<String> CATALOG_NAME = ConfigOptions.key("lake.catalog-name")
            .stringType()
            .defaultValue("thermocline")
            .withDescription("Name the Iceberg catalog is known by in logs and metrics.");

    /** The Iceberg catalog properties within a cluster configuration. */
    public static Map<String, String> catalogProperties(Map<String, String> clusterConf) {
        Map<String, String> properties = new TreeMap<>();
        clusterConf.forEach((key, value) -> {
            if (key.startsWith(CATALOG_PREFIX)) {
                properties.put(key.substring(CATALOG_PREFIX.length()), value);
            }
        });
        if (!properties.containsKey("catalog-impl")) {
            properties.putIfAbsent("type", CATALOG_TYPE.defaultValue());
        }
        return properties;
    }
}
