package io.thermocline.flink.catalog;

import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogPropertiesUtil;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedCatalogBaseTable;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.expressions.DefaultSqlFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a Flink table's schema the cluster does not hold, computed columns and watermarks,
 * kept among the table's free-form properties as Flink serializes them ({@code flink.schema.*}).
 * The cluster stores the physical columns; Flink gets the whole schema back.
 */
final class FlinkSchemaProperties {
    private static final String PREFIX = "flink.";
    private static final String SCHEMA_PREFIX = "schema.";

    private FlinkSchemaProperties() {}

    /** The properties that restore the table's schema, or none when it has only physical columns. */
    static Map<String, String> of(ResolvedCatalogBaseTable<?> table) {
        boolean physicalOnly = table.getResolvedSchema().getColumns().stream().allMatch(Column::isPhysical)
                && table.getResolvedSchema().getWatermarkSpecs().isEmpty();
        if (physicalOnly || !(table instanceof ResolvedCatalogTable)) {
            return Map.of();
        }
        Map<String, String> properties = new HashMap<>();
        CatalogPropertiesUtil.serializeCatalogTable((ResolvedCatalogTable) table, DefaultSqlFactory.INSTANCE)
                .forEach((key, value) -> {
                    if (key.startsWith(SCHEMA_PREFIX)) {
                        properties.put(PREFIX + key, value);
                    }
                });
        return properties;
    }

    /** The whole schema, if the options hold one. */
    static Optional<Schema> schema(Map<String, String> options) {
        Map<String, String> serialized = new HashMap<>();
        options.forEach((key, value) -> {
            if (key.startsWith(PREFIX + SCHEMA_PREFIX)) {
                serialized.put(key.substring(PREFIX.length()), value);
            }
        });
        return serialized.isEmpty() ? Optional.empty()
                : Optional.of(CatalogPropertiesUtil.deserializeCatalogTable(serialized).getUnresolvedSchema());
    }

    static void remove(Map<String, String> options) {
        options.keySet().removeIf(key -> key.startsWith(PREFIX + SCHEMA_PREFIX));
    }
}
