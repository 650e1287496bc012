package io.thermocline.common.config;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A typed, documented configuration option with a default and an optional constraint. Immutable.
 * Create with {@link ConfigOptions}; read with {@link Configuration#get}.
 */
public final class ConfigOption<T> {
    private final String key;
    private final Class<T> type;
    private final T defaultValue;
    private final String description;
    private final Function<String, T> parser;
    private final Predicate<T> constraint;
    private final String constraintText;

    ConfigOption(String key, Class<T> type, T defaultValue, String description, Function<String, T> parser,
            Predicate<T> constraint, String constraintText) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.parser = parser;
        this.constraint = constraint;
        this.constraintText = constraintText;
    }

    public String key() {
        return key;
    }

    public Class<T> type() {
        return type;
    }

    /** The default, or null when the option has none. */
    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** Human-readable constraint such as "at least 1", or null. */
    public String constraintText() {
        return constraintText;
    }

    T parse(String text) {
        return parser.apply(text.trim());
    }

    boolean accepts(T value) {
        return constraint == null || constraint.test(value);
    }

    public ConfigOption<T> withDescription(String text) {
        return new ConfigOption<>(key, type, defaultValue, text, parser, constraint, constraintText);
    }

    /** This option, refusing values that fail {@code check}; {@code text} says what is allowed. */
    public ConfigOption<T> checkedBy(Predicate<T> check, String text) {
        return new ConfigOption<>(key, type, defaultValue, description, parser, check, text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigOption && key.equals(((ConfigOption<?>) o).key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key);
    }

    @Override
    public String toString() {
        return key;
    }
}
