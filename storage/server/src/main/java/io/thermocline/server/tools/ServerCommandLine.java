package io.thermocline.server.tools;

import io.thermocline.common.config.Configuration;

/** The command line of a server process: {@code key=value} server options, one per argument. */
final class ServerCommandLine {
    private ServerCommandLine() {}

    /** The options; exits with code 2 and the offending argument when one is not {@code key=value}. */
    static Configuration parse(String[] args) {
        Configuration conf = new Configuration();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals <= 0) {
                System.err.println("Expected key=value server options (see docs/server-options.md), got '" + arg + "'");
                System.exit(2);
            }
            conf.setString(arg.substring(0, equals), arg.substring(equals + 1));
        }
        return conf;
    }
}
