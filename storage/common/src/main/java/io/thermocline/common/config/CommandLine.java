package io.thermocline.common.config;

import io.thermocline.common.exception.InvalidConfigException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The arguments of a Thermocline process: {@code --config FILE} (a {@link ConfigFile}), then
 * {@code key=value} options (or {@code --conf key=value}) that win over the file, and the
 * process's own flags ({@code --flag value}, or {@code --switch} alone).
 *
 * @param options the file's options with the overrides applied
 * @param flags the process's own flags and their values ({@code ""} for a switch)
 */
public record CommandLine(Map<String, String> options, Map<String, String> flags) {
    /**
     * Parses {@code args}.
     *
     * @param flagsWithValue the flags that take a value
     * @param switches the flags that take none
     * @throws InvalidConfigException naming the argument, the key or the file that is wrong
     */
    public static CommandLine parse(String[] args, Set<String> flagsWithValue, Set<String> switches,
            Function<String, String> environment, KnownOptions known) {
        Map<String, String> overrides = new LinkedHashMap<>();
        Map<String, String> flags = new LinkedHashMap<>();
        Path file = null;
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            if (arg.equals("--config") || arg.equals("--conf") || flagsWithValue.contains(arg)) {
                if (i + 1 >= list.size()) {
                    throw new InvalidConfigException(arg + " needs a value");
                }
                String value = list.get(++i);
                if (arg.equals("--config")) {
                    if (file != null) {
                        throw new InvalidConfigException("--config is given twice (" + file + ", " + value + ")");
                    }
                    file = Path.of(value);
                } else if (arg.equals("--conf")) {
                    override(value, overrides, known);
                } else {
                    flags.put(arg, value);
                }
            } else if (switches.contains(arg)) {
                flags.put(arg, "");
            } else if (arg.startsWith("--")) {
                throw new InvalidConfigException("Unknown argument " + arg);
            } else {
                override(arg, overrides, known);
            }
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (file != null) {
            options.putAll(ConfigFile.read(file, environment, known));
        }
        options.putAll(overrides);
        return new CommandLine(options, flags);
    }

    /** Parses with the process's environment and every option on the classpath. */
    public static CommandLine parse(String[] args, Set<String> flagsWithValue, Set<String> switches) {
        return parse(args, flagsWithValue, switches, System::getenv, KnownOptions.load());
    }

    private static void override(String arg, Map<String, String> overrides, KnownOptions known) {
        int equals = arg.indexOf('=');
        if (equals <= 0) {
            throw new InvalidConfigException("Expected key=value, got '" + arg + "'");
        }
        String key = arg.substring(0, equals);
        if (!known.isKnown(key)) {
            throw ConfigFile.unknown(key, "on the command line");
        }
        overrides.put(key, arg.substring(equals + 1));
    }

    public String flag(String name) {
        return flags.get(name);
    }

    public boolean has(String flag) {
        return flags.containsKey(flag);
    }
}
