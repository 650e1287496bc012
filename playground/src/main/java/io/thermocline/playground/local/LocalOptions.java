package io.thermocline.playground.local;

import io.thermocline.common.config.CommandLine;
import io.thermocline.common.config.KnownOptions;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.server.tools.LocalCluster;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The command line of {@code thermocline local}, and every port it listens on. {@code conf} holds
 * the options of {@code --config FILE} and {@code key=value} arguments, for every part it runs.
 */
record LocalOptions(Path dataDir, int basePort, int tabletServers, boolean processes, int gatewayPort, int flinkSlots,
        Map<String, String> conf) {
    static final String USAGE = "Usage: thermocline local [--data-dir DIR] [--port BASE] [--tablet-servers N]"
            + " [--processes] [--gateway-port P] [--flink-slots N] [--config FILE] [key=value ...]";

    /** A command line that cannot be understood. */
    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String problem) {
            super(problem + "\n" + USAGE);
        }
    }

    static final int DEFAULT_BASE_PORT = 9180;
    static final int DEFAULT_GATEWAY_PORT = 8765;

    static LocalOptions parse(String... args) {
        return parse(System::getenv, args);
    }

    /** The command line, {@code ${NAME}} in a configuration file taken from {@code environment}. */
    static LocalOptions parse(Function<String, String> environment, String... args) {
        CommandLine line;
        try {
            line = CommandLine.parse(args, Set.of("--data-dir", "--port", "--tablet-servers", "--gateway-port",
                    "--flink-slots"), Set.of("--processes"), environment, KnownOptions.load());
        } catch (InvalidConfigException e) {
            throw new UsageError(e.getMessage());
        }
        Path dataDir = Paths.get(line.flags().getOrDefault("--data-dir", "data"));
        int basePort = number(line, "--port", DEFAULT_BASE_PORT, 1, 65_535 - 60);
        int servers = number(line, "--tablet-servers", 3, 1, 9);
        boolean processes = line.has("--processes");
        int gatewayPort = number(line, "--gateway-port", DEFAULT_GATEWAY_PORT, 1, 65_535);
        int slots = number(line, "--flink-slots", 8, 1, 256);
        LocalOptions options = new LocalOptions(dataDir, basePort, servers, processes, gatewayPort, slots,
                Map.copyOf(line.options()));
        if (options.ports().size() != 5 + 2 * servers) { // a clash leaves fewer
            throw new UsageError("--gateway-port " + gatewayPort + " is one of the cluster's ports " + basePort + ".."
                    + options.flinkMetricsPort());
        }
        return options;
    }

    private static int number(CommandLine line, String option, int fallback, int min, int max) {
        String value = line.flag(option);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageError(option + " takes a number from " + min + " to " + max + ", got '" + value + "'");
    }

    int coordinatorPort() {
        return LocalCluster.coordinatorPort(basePort);
    }

    int tabletServerPort(int id) {
        return LocalCluster.tabletServerPort(basePort, id);
    }

    int coordinatorMetricsPort() {
        return LocalCluster.coordinatorMetricsPort(basePort);
    }

    int tabletServerMetricsPort(int id) {
        return LocalCluster.tabletServerMetricsPort(basePort, id);
    }

    /** Prometheus metrics of the embedded Flink: the tiering job and the gateway's jobs. */
    int flinkMetricsPort() {
        return basePort + 50;
    }

    /** Every port {@code local} listens on, with what it is for. */
    Map<Integer, String> ports() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(basePort, "ZooKeeper");
        ports.put(coordinatorPort(), "coordinator");
        for (int id = 0; id < tabletServers; id++) {
            ports.put(tabletServerPort(id), "tablet server " + id);
        }
        ports.put(coordinatorMetricsPort(), "coordinator metrics");
        for (int id = 0; id < tabletServers; id++) {
            ports.put(tabletServerMetricsPort(id), "tablet server " + id + " metrics");
        }
        ports.put(flinkMetricsPort(), "Flink and tiering metrics");
        ports.put(gatewayPort, "JDBC gateway");
        return ports;
    }
}
