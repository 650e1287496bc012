package io.thermocline.common.config;

import io.thermocline.common.exception.InvalidConfigException;

import java.util.HashMap;
import java.util.Map;

/**
 * String key-value settings read through typed {@link ConfigOption}s. Values are parsed and
 * checked on read, and a bad one throws {@link InvalidConfigException} naming key, value and the
 * allowed range. Not thread-safe while being changed.
 */
public final class Configuration {
    private final Map<String, String> values = new HashMap<>();

    public Configuration() {}

    public Configuration(Map<String, String> initial) {
        values.putAll(initial);
    }

    public <T> Configuration set(ConfigOption<T> option, T value) {
        values.put(option.key(), String.valueOf(value));
        return this;
    }

    public Configuration setString(String key, String value) {
        values.put(key, value);
        return this;
    }

    public boolean contains(ConfigOption<?> option) {
        return values.containsKey(option.key());
    }

    /** The option's value, or its default when unset. */
    public <T> T get(ConfigOption<T> option) {
        String text = values.get(option.key());
        T value = text == null ? option.defaultValue() : option.parse(text);
        if (value != null && !option.accepts(value)) {
            throw new InvalidConfigException("Option '" + option.key() + "' must be " + option.constraintText()
                    + ", got " + (text == null ? value : "'" + text + "'"));
        }
        return value;
    }

    public Map<String, String> toMap() {
        return Map.copyOf(values);
    }
}
