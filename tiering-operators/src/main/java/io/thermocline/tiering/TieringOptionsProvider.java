package io.thermocline.tiering;

import io.thermocline.common.config.OptionsProvider;

import java.util.List;

/** The tiering job's options, for configuration files. */
public final class TieringOptionsProvider implements OptionsProvider {
    @Override
    public String title() {
        return "The tiering job";
    }

    @Override
    public List<Class<?>> optionClasses() {
        return List.of(TieringOptions.class);
    }
}
