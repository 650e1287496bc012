package io.thermocline.common.config;

import io.thermocline.common.exception.InvalidConfigException;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML configuration file of option keys: {@code log.segment.size: 256 mb}, or the same keys
 * nested ({@code log: {segment: {size: 256 mb}}}). A value may take parts from the environment:
 * {@code ${NAME}}, or {@code ${NAME:-fallback}} when the variable may be unset, so secrets stay out
 * of the file. Every key must be known to some part of Thermocline on the classpath.
 */
public final class ConfigFile {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private ConfigFile() {}

    /** The options of {@code file}, variables taken from {@code environment}. */
    public static Map<String, String> read(Path file, Function<String, String> environment, KnownOptions known) {
        Object root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new InvalidConfigException("Cannot read the configuration file " + file + ": " + e, e);
        } catch (YAMLException e) {
            throw new InvalidConfigException("The configuration file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (root == null) {
            return options; // empty, or only comments
        }
        if (!(root instanceof Map)) {
            throw new InvalidConfigException("The configuration file " + file + " must map option keys to values, e.g."
                    + " 'bind.port: 9123'");
        }
        flatten(file, "", (Map<?, ?>) root, options);
        for (Map.Entry<String, String> entry : options.entrySet()) {
            if (!known.isKnown(entry.getKey())) {
                throw unknown(entry.getKey(), "in " + file);
            }
            entry.setValue(substitute(entry.getValue(), environment, "'" + entry.getKey() + "' in " + file));
        }
        return options;
    }

    /** The error for a key that no part of Thermocline knows; {@code where} says where it was given. */
    public static InvalidConfigException unknown(String key, String where) {
        return new InvalidConfigException("Unknown option '" + key + "' " + where + ": no part of Thermocline has it"
                + " (conf/thermocline.yaml lists every option)");
    }

    private static void flatten(Path file, String prefix, Map<?, ?> map, Map<String, String> options) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map) {
                flatten(file, key + ".", (Map<?, ?>) value, options);
            } else if (value instanceof List || value == null) {
                throw new InvalidConfigException("Option '" + key + "' in " + file + " has "
                        + (value == null ? "no value" : "a list") + "; give one value (lists as a;b, as the option says)");
            } else if (options.put(key, value.toString()) != null) {
                throw new InvalidConfigException("Option '" + key + "' is given twice in " + file);
            }
        }
    }

    /** Replaces each {@code ${NAME}} or {@code ${NAME:-fallback}} of {@code value}. */
    static String substitute(String value, Function<String, String> environment, String where) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = environment.apply(matcher.group(1));
            if (replacement == null) {
                replacement = matcher.group(2);
            }
            if (replacement == null) {
                throw new InvalidConfigException("Option " + where + " takes ${" + matcher.group(1)
                        + "} from the environment, and it is not set");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
