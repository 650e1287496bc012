package io.thermocline.lake;

import io.thermocline.common.config.OptionsProvider;

import java.util.List;

/** The lake options, for configuration files; other Iceberg catalog and FileIO properties pass under {@code lake.catalog.}. */
public final class LakeOptionsProvider implements OptionsProvider {
    @Override
    public String title() {
        return "The lake catalog: coordinators, tablet servers (KV snapshots on object storage), the tiering job";
    }

    @Override
    public List<Class<?>> optionClasses() {
        return List.of(LakeOptions.class);
    }

    @Override
    public List<String> openPrefixes() {
        return List.of(LakeOptions.CATALOG_PREFIX);
    }
}
