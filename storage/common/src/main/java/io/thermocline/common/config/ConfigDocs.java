package io.thermocline.common.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;

/** Renders the {@link ConfigOption} constants of an options class as a Markdown table. */
public final class ConfigDocs {
    private ConfigDocs() {}

    public static String markdown(Class<?> optionsClass) {
        StringBuilder md = new StringBuilder("| key | type | default | allowed | description |\n|---|---|---|---|---|\n");
        for (Field field : optionsClass.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != ConfigOption.class) {
                continue;
            }
            ConfigOption<?> option;
            try {
                option = (ConfigOption<?>) field.get(null);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            md.append("| `").append(option.key()).append("` | ")
                    .append(option.type().getSimpleName()).append(" | ")
                    .append(format(option.defaultValue())).append(" | ")
                    .append(option.constraintText() == null ? "" : option.constraintText()).append(" | ")
                    .append(option.description().replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }

    private static String format(Object value) {
        if (value == null) {
            return "(none)";
        }
        if (value instanceof Duration) {
            Duration d = (Duration) value;
            if (d.isZero()) {
                return "0 ms";
            }
            if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
                return d.toDays() + " d";
            }
            if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
                return d.toMinutes() + " min";
            }
            return d.toMillis() + " ms";
        }
        if (value instanceof Long && (Long) value == Long.MAX_VALUE) {
            return "unlimited";
        }
        return value.toString();
    }
}
