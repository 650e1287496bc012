package io.thermocline.gateway;

import io.thermocline.common.config.CommandLine;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.RetriableException;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the JDBC gateway against a running cluster until stopped (what {@code thermocline gateway}
 * and {@code thermocline local} start).
 *
 * <p>Usage: {@code GatewayMain [--config FILE] [--bootstrap-servers HOST:PORT] [--port N]
 * [KEY=VALUE | --conf KEY=VALUE]...}: the file's options (YAML), then the others winning over them;
 * any gateway option, client option or {@code flink.}-prefixed Flink option.
 */
public final class GatewayMain {
    private static final long CLUSTER_WAIT_MS = 120_000;

    private GatewayMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> conf = new HashMap<>();
        try {
            CommandLine line = CommandLine.parse(args, Set.of("--bootstrap-servers", "--port"), Set.of());
            conf.putAll(line.options());
            if (line.has("--bootstrap-servers")) {
                conf.put("bootstrap.servers", line.flag("--bootstrap-servers"));
            }
            if (line.has("--port")) {
                conf.put(GatewayOptions.PORT.key(), line.flag("--port"));
            }
        } catch (InvalidConfigException e) {
            usage(e.getMessage());
        }
        if (!conf.containsKey("bootstrap.servers")) {
            usage("--bootstrap-servers is required");
        }
        ThermoclineGateway gateway = startWhenReachable(conf);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        System.out.println("Thermocline JDBC gateway on " + gateway.jdbcUrl("127.0.0.1"));
        stopped.await();
    }

    /** Starts the gateway, waiting up to two minutes for the cluster (the launcher starts both at once). */
    private static ThermoclineGateway startWhenReachable(Map<String, String> conf) throws InterruptedException {
        long deadline = System.currentTimeMillis() + CLUSTER_WAIT_MS;
        while (true) {
            try {
                return ThermoclineGateway.start(conf);
            } catch (RuntimeException e) {
                if (!unreachable(e) || System.currentTimeMillis() > deadline) {
                    System.err.println("Cannot start the JDBC gateway: " + e.getMessage());
                    System.exit(1);
                }
                Thread.sleep(1000);
            }
        }
    }

    private static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nUsage: GatewayMain [--config FILE] [--bootstrap-servers HOST:PORT] [--port N]"
                + " [KEY=VALUE | --conf KEY=VALUE]...");
        System.exit(2);
    }
}
