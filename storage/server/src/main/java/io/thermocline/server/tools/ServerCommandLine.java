package io.thermocline.server.tools;

import io.thermocline.common.config.CommandLine;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.LakeException;

import java.util.Set;
import java.util.function.Supplier;

/**
 * The command line of a server process: {@code [--config FILE] [key=value ...]}, the file's
 * options (YAML, see conf/thermocline.yaml) with the {@code key=value} ones winning.
 */
final class ServerCommandLine {
    private ServerCommandLine() {}

    /** The options; exits with code 2 and what is wrong (an argument, an unknown key, the file). */
    static Configuration parse(String[] args) {
        try {
            return new Configuration(CommandLine.parse(args, Set.of(), Set.of()).options());
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage() + "\nUsage: [--config FILE] [key=value ...] (docs/server-options.md)");
            System.exit(2);
            throw e;
        }
    }

    /**
     * Starts a server; a configuration it cannot run with (an option out of range, a lake catalog
     * that cannot work) exits with code 2 and one line saying why, instead of a stack trace.
     */
    static <T> T startOrExit(Supplier<T> start) {
        try {
            return start.get();
        } catch (InvalidConfigException | LakeException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(2);
            throw e;
        }
    }
}
