package io.thermocline.common.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/** Every option key of the {@link OptionsProvider}s on the classpath. */
public final class KnownOptions {
    private final List<OptionsProvider> providers;
    private final Set<String> keys = new HashSet<>();
    private final List<String> openPrefixes = new ArrayList<>();

    private KnownOptions(List<OptionsProvider> providers) {
        this.providers = List.copyOf(providers);
        for (OptionsProvider provider : providers) {
            for (Class<?> optionClass : provider.optionClasses()) {
                options(optionClass).forEach(option -> keys.add(option.key()));
            }
            openPrefixes.addAll(provider.openPrefixes());
        }
    }

    /** The options of every provider on this class's class loader. */
    public static KnownOptions load() {
        List<OptionsProvider> providers = new ArrayList<>();
        ServiceLoader.load(OptionsProvider.class, KnownOptions.class.getClassLoader()).forEach(providers::add);
        providers.sort((a, b) -> a.title().compareTo(b.title()));
        return new KnownOptions(providers);
    }

    public static KnownOptions of(List<OptionsProvider> providers) {
        return new KnownOptions(providers);
    }

    public List<OptionsProvider> providers() {
        return providers;
    }

    /** Whether some part knows {@code key}: a declared option, or a key under an open prefix. */
    public boolean isKnown(String key) {
        return keys.contains(key) || openPrefixes.stream().anyMatch(key::startsWith);
    }

    /** The {@code public static ConfigOption} constants of a class, in declaration order. */
    public static List<ConfigOption<?>> options(Class<?> optionsClass) {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : optionsClass.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
                try {
                    options.add((ConfigOption<?>) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableList(options);
    }
}
