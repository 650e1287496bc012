package io.thermocline.client.api;

import io.thermocline.common.config.OptionsProvider;

import java.util.List;

/** The client options, for configuration files. */
public final class ClientOptionsProvider implements OptionsProvider {
    @Override
    public String title() {
        return "Clients: the tiering job, the SQL gateway";
    }

    @Override
    public List<Class<?>> optionClasses() {
        return List.of(ClientOptions.class);
    }
}
