package io.thermocline.gateway;

import io.thermocline.common.config.OptionsProvider;

import java.util.List;

/** The gateway's options, for configuration files; Flink's own options pass under {@code flink.}. */
public final class GatewayOptionsProvider implements OptionsProvider {
    @Override
    public String title() {
        return "The SQL gateway";
    }

    @Override
    public List<Class<?>> optionClasses() {
        return List.of(GatewayOptions.class);
    }

    @Override
    public List<String> openPrefixes() {
        return List.of(GatewayOptions.FLINK_PREFIX);
    }
}
