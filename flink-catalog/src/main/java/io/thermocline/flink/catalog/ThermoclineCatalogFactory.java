package io.thermocline.flink.catalog;

import io.thermocline.flink.table.ThermoclineTableFactory;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.factories.CatalogFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = 'host:port')}.
 * Options other than {@code type} and {@code default-database} are Thermocline client options.
 */
public final class ThermoclineCatalogFactory implements CatalogFactory {
    public static final ConfigOption<String> DEFAULT_DATABASE = ConfigOptions.key("default-database").stringType()
            .defaultValue("default").withDescription("The database of unqualified table names.");

    @Override
    public String factoryIdentifier() {
        return ThermoclineTableFactory.IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(ThermoclineTableFactory.BOOTSTRAP_SERVERS);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(DEFAULT_DATABASE);
    }

    @Override
    public Catalog createCatalog(Context context) {
        Map<String, String> client = new HashMap<>(context.getOptions());
        client.remove("type");
        String defaultDatabase = client.getOrDefault(DEFAULT_DATABASE.key(), DEFAULT_DATABASE.defaultValue());
        client.remove(DEFAULT_DATABASE.key());
        if (!client.containsKey(ThermoclineTableFactory.BOOTSTRAP_SERVERS.key())) {
            throw new ValidationException("Catalog " + context.getName() + ": option 'bootstrap.servers' is required");
        }
        return new ThermoclineCatalog(context.getName(), defaultDatabase, client);
    }
}
