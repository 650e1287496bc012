package io.thermocline.server.config;

import io.thermocline.common.config.OptionsProvider;

import java.util.List;

/** The server options, for configuration files. */
public final class ServerOptionsProvider implements OptionsProvider {
    @Override
    public String title() {
        return "Coordinators and tablet servers";
    }

    @Override
    public List<Class<?>> optionClasses() {
        return List.of(ServerOptions.class);
    }
}
