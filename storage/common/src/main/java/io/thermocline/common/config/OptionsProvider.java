package io.thermocline.common.config;

import java.util.List;

/**
 * The configuration options of one part of Thermocline, found with {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services/io.thermocline.common.config.OptionsProvider}), so a
 * process knows every option of the parts on its classpath and refuses a key none of them knows.
 */
public interface OptionsProvider {
    /** The part, as configuration files name it in comments (for example "Tablet servers and coordinators"). */
    String title();

    /** Classes whose {@code public static ConfigOption} fields are the options. */
    List<Class<?>> optionClasses();

    /**
     * Key prefixes whose keys pass to another system unchecked (for example {@code lake.catalog.}
     * for Iceberg's catalog properties).
     */
    default List<String> openPrefixes() {
        return List.of();
    }
}
