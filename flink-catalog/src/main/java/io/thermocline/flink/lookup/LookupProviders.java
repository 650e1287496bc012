package io.thermocline.flink.lookup;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.source.LookupTableSource.LookupRuntimeProvider;
import org.apache.flink.table.connector.source.lookup.AsyncLookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.LookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.connector.source.lookup.PartialCachingAsyncLookupProvider;
import org.apache.flink.table.connector.source.lookup.PartialCachingLookupProvider;
import org.apache.flink.table.connector.source.lookup.cache.DefaultLookupCache;

import java.util.Map;

/**
 * The runtime of a lookup join, as Flink's lookup options ask: {@code lookup.async} (default
 * true) and {@code lookup.cache} = {@code PARTIAL} with {@code lookup.partial-cache.*} for a cache
 * in each task.
 */
public final class LookupProviders {
    public static final ConfigOption<Boolean> LOOKUP_ASYNC = ConfigOptions.key("lookup.async").booleanType()
            .defaultValue(true).withDescription("Whether lookup joins look keys up asynchronously, batched per server.");

    private LookupProviders() {}

    public static LookupRuntimeProvider create(Map<String, String> clientOptions, TablePath path, RowType rowType,
            LookupKeys keys, int[] projection, ReadableConfig options) {
        TableLookup lookup = new TableLookup(clientOptions, path, rowType, keys, projection);
        boolean async = options.get(LOOKUP_ASYNC);
        boolean cached = options.get(LookupOptions.CACHE_TYPE) == LookupOptions.LookupCacheType.PARTIAL;
        if (async) {
            ThermoclineAsyncLookupFunction function = new ThermoclineAsyncLookupFunction(lookup);
            return cached ? PartialCachingAsyncLookupProvider.of(function, DefaultLookupCache.fromConfig(options))
                    : AsyncLookupFunctionProvider.of(function);
        }
        ThermoclineLookupFunction function = new ThermoclineLookupFunction(lookup);
        return cached ? PartialCachingLookupProvider.of(function, DefaultLookupCache.fromConfig(options))
                : LookupFunctionProvider.of(function);
    }
}
