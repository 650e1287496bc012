package io.thermocline.common.config;

import java.time.Duration;

/** Renders the {@link ConfigOption} constants of an options class as a Markdown table. */
public final class ConfigDocs {
    private ConfigDocs() {}

    public static String markdown(Class<?> optionsClass) {
        StringBuilder md = new StringBuilder("| key | type | default | allowed | description |\n|---|---|---|---|---|\n");
        for (ConfigOption<?> option : KnownOptions.options(optionsClass)) {
            md.append("| `").append(option.key()).append("` | ")
                    .append(option.type().getSimpleName()).append(" | ")
                    .append(format(option.defaultValue())).append(" | ")
                    .append(option.constraintText() == null ? "" : option.constraintText()).append(" | ")
                    .append(option.description().replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }

    /**
     * A configuration file listing every option of {@code known}, commented out, with its
     * description and default: uncommenting a line sets that option.
     */
    public static String yamlTemplate(KnownOptions known, String header) {
        StringBuilder yaml = new StringBuilder(header);
        for (OptionsProvider provider : known.providers()) {
            yaml.append("\n# ==== ").append(provider.title()).append(" ====\n");
            for (String prefix : provider.openPrefixes()) {
                yaml.append("# Any other key under ").append(prefix).append(" passes through unchecked.\n");
            }
            for (Class<?> optionClass : provider.optionClasses()) {
                for (ConfigOption<?> option : KnownOptions.options(optionClass)) {
                    yaml.append('\n');
                    wrap(option.description(), yaml);
                    if (option.constraintText() != null) {
                        yaml.append("# Allowed: ").append(option.constraintText()).append('\n');
                    }
                    Object value = option.defaultValue();
                    yaml.append("# ").append(option.key()).append(':');
                    if (value == null) {
                        yaml.append("    # no default");
                    } else {
                        String text = value instanceof Long ? value.toString() : format(value);
                        yaml.append(' ').append(text.isEmpty() || text.matches(".*[:#{}\\[\\],&*!|>'\"%@`].*")
                                || text.startsWith("-") ? "'" + text.replace("'", "''") + "'" : text);
                    }
                    yaml.append('\n');
                }
            }
        }
        return yaml.toString();
    }

    /** A description as comment lines of at most about 100 characters. */
    private static void wrap(String text, StringBuilder out) {
        StringBuilder line = new StringBuilder("#");
        for (String word : text.split("\\s+")) {
            if (line.length() + word.length() + 1 > 100 && line.length() > 1) {
                out.append(line).append('\n');
                line = new StringBuilder("#");
            }
            line.append(' ').append(word);
        }
        out.append(line).append('\n');
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
