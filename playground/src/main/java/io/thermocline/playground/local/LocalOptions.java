package io.thermocline.playground.local;

import io.thermocline.server.tools.LocalCluster;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/** The command line of {@code thermocline local}, and every port it listens on. */
record LocalOptions(Path dataDir, int basePort, int tabletServers, boolean processes, int gatewayPort, int flinkSlots) {
    static final String USAGE = "Usage: thermocline local [--data-dir DIR] [--port BASE] [--tablet-servers N]"
            + " [--processes] [--gateway-port P] [--flink-slots N]";

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
        Path dataDir = Paths.get("data");
        int basePort = DEFAULT_BASE_PORT;
        int servers = 3;
        boolean processes = false;
        int gatewayPort = DEFAULT_GATEWAY_PORT;
        int slots = 8;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--processes")) {
                processes = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new UsageError(name.startsWith("--") ? "missing value after " + name : "unknown argument " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--data-dir" -> dataDir = Paths.get(value);
                case "--port" -> basePort = number(name, value, 1, 65_535 - 60);
                case "--tablet-servers" -> servers = number(name, value, 1, 9);
                case "--gateway-port" -> gatewayPort = number(name, value, 1, 65_535);
                case "--flink-slots" -> slots = number(name, value, 1, 256);
                default -> throw new UsageError("unknown option " + name);
            }
        }
        LocalOptions options = new LocalOptions(dataDir, basePort, servers, processes, gatewayPort, slots);
        if (options.ports().size() != 5 + 2 * servers) { // a clash leaves fewer
            throw new UsageError("--gateway-port " + gatewayPort + " is one of the cluster's ports " + basePort + ".."
                    + options.flinkMetricsPort());
        }
        return options;
    }

    private static int number(String option, String value, int min, int max) {
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
