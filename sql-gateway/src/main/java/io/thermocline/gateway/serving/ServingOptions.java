package io.thermocline.gateway.serving;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Session options of the gateway's fast path (SQL {@code SET}, or {@code flink.}-prefixed gateway options for every session). */
public final class ServingOptions {
    public static final ConfigOption<Boolean> FAST_PATH = ConfigOptions.key("thermocline.optimizer.fast-path")
            .booleanType()
            .defaultValue(true)
            .withDescription("In batch mode, queries whose optimized plan reads a primary-key table by whole keys"
                    + " or by a bucket-key prefix are answered by the gateway with KV lookups, without a Flink job."
                    + " false runs every query as a Flink job.");

    private ServingOptions() {}
}
