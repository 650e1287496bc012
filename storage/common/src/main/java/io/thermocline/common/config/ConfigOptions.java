package io.thermocline.common.config;

import io.thermocline.common.exception.InvalidConfigException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds {@link ConfigOption}s: {@code ConfigOptions.key("log.segment.size").memoryType().defaultValue(...)}. */
public final class ConfigOptions {
    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*(ms|s|sec|min|m|h|d)?\\s*", Pattern.CASE_INSENSITIVE);

    private ConfigOptions() {}

    public static TypeStep key(String key) {
        return new TypeStep(key);
    }

    /** Chooses the option's type. */
    public static final class TypeStep {
        private final String key;

        private TypeStep(String key) {
            this.key = key;
        }

        public DefaultStep<Integer> intType() {
            return new DefaultStep<>(key, Integer.class, text -> parseNumber(key, text, Integer::parseInt));
        }

        public DefaultStep<Long> longType() {
            return new DefaultStep<>(key, Long.class, text -> parseNumber(key, text, Long::parseLong));
        }

        public DefaultStep<Boolean> booleanType() {
            return new DefaultStep<>(key, Boolean.class, text -> {
                if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                    throw new InvalidConfigException("Option '" + key + "' expects true or false, got '" + text + "'");
                }
                return Boolean.parseBoolean(text);
            });
        }

        public DefaultStep<String> stringType() {
            return new DefaultStep<>(key, String.class, Function.identity());
        }

        /** Durations as {@code 500 ms}, {@code 30 s}, {@code 5 min}, {@code 2 h}, {@code 7 d} or ISO-8601. */
        public DefaultStep<Duration> durationType() {
            return new DefaultStep<>(key, Duration.class, text -> parseDuration(key, text));
        }

        /** Enum constants by name, case-insensitive. */
        public <E extends Enum<E>> DefaultStep<E> enumType(Class<E> type) {
            return new DefaultStep<>(key, type, text -> {
                for (E constant : type.getEnumConstants()) {
                    if (constant.name().equalsIgnoreCase(text)) {
                        return constant;
                    }
                }
                throw new InvalidConfigException("Option '" + key + "' expects one of "
                        + java.util.Arrays.toString(type.getEnumConstants()) + ", got '" + text + "'");
            });
        }

        public DefaultStep<MemorySize> memoryType() {
            return new DefaultStep<>(key, MemorySize.class, MemorySize::parse);
        }
    }

    /** Sets the option's default. */
    public static final class DefaultStep<T> {
        private final String key;
        private final Class<T> type;
        private final Function<String, T> parser;

        private DefaultStep(String key, Class<T> type, Function<String, T> parser) {
            this.key = key;
            this.type = type;
            this.parser = parser;
        }

        public ConfigOption<T> defaultValue(T value) {
            return new ConfigOption<>(key, type, value, "", parser, null, null);
        }

        public ConfigOption<T> noDefaultValue() {
            return new ConfigOption<>(key, type, null, "", parser, null, null);
        }
    }

    static Duration parseDuration(String key, String text) {
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new InvalidConfigException("Option '" + key + "' cannot parse duration '" + text + "'", e);
            }
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new InvalidConfigException("Option '" + key + "' cannot parse duration '" + text
                    + "': expected a number with a unit ms, s, min, h or d");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
        switch (unit) {
            case "ms": return Duration.ofMillis(n);
            case "s":
            case "sec": return Duration.ofSeconds(n);
            case "m":
            case "min": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            default: return Duration.ofDays(n);
        }
    }

    private static <T> T parseNumber(String key, String text, Function<String, T> parse) {
        try {
            return parse.apply(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("Option '" + key + "' expects a number, got '" + text + "'");
        }
    }
}
