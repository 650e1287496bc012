package io.thermocline.lake;

import io.thermocline.common.config.ConfigOption;
import io.thermocline.common.config.ConfigOptions;

import java.util.Map;
import java.util.TreeMap;

/**
 * Cluster options naming the Iceberg catalog that lake-enabled tables live in. Every key under
 * {@code lake.catalog.} is handed to Iceberg's catalog with the prefix removed, so any catalog
 * Iceberg supports (hadoop, rest, jdbc, hive, or a {@code catalog-impl} class) is configured with
 * Iceberg's own property names, e.g. {@code lake.catalog.uri}.
 */
public final class LakeOptions {
    private LakeOptions() {}

    /** Keys under this prefix go to Iceberg's catalog without it. */
    public static final String CATALOG_PREFIX = "lake.catalog.";

    public static final ConfigOption<String> CATALOG_TYPE = ConfigOptions.key("lake.catalog.type")
            .stringType()
            .defaultValue("hadoop")
            .withDescription("Iceberg catalog type: hadoop (a warehouse directory, the default), rest, jdbc or hive;"
                    + " other lake.catalog.* keys are that catalog's Iceberg properties (uri, credential, ...).");

    public static final ConfigOption<String> WAREHOUSE = ConfigOptions.key("lake.catalog.warehouse")
            .stringType()
            .noDefaultValue()
            .withDescription("Warehouse location of the lake catalog, e.g. /var/lib/thermocline/lake or"
                    + " s3://bucket/lake. Unset, lake-enabled tables are refused. `thermocline local` sets it to"
                    + " <data-dir>/lake.");

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
        properties.putIfAbsent("type", CATALOG_TYPE.defaultValue());
        return properties;
    }
}
