package io.thermocline.gateway;

import io.thermocline.common.exception.RetriableException;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the JDBC gateway against a running cluster until stopped (what {@code thermocline gateway}
 * and {@code thermocline local} start).
 *
 * <p>Usage: {@code GatewayMain --bootstrap-servers HOST:PORT [--port N] [--conf KEY=VALUE]...};
 * {@code --conf} takes any gateway option, client option or {@code flink.}-prefixed Flink option.
 */
public final class GatewayMain {
    private static final long CLUSTER_WAIT_MS = 120_000;

    private GatewayMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> conf = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage("missing value after " + args[i]);
            }
            switch (args[i]) {
                case "--bootstrap-servers":
                    conf.put("bootstrap.servers", args[i + 1]);
                    break;
                case "--port":
                    conf.put(GatewayOptions.PORT.key(), args[i + 1]);
                    break;
                case "--conf":
                    int eq = args[i + 1].indexOf('=');
                    if (eq <= 0) {
                        usage("--conf takes KEY=VALUE, got " + args[i + 1]);
                    }
                    conf.put(args[i + 1].substring(0, eq), args[i + 1].substring(eq + 1));
                    break;
                default:
                    usage("unknown argument " + args[i]);
            }
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
        System.err.println(problem + "\nUsage: GatewayMain --bootstrap-servers HOST:PORT [--port N] [--conf KEY=VALUE]...");
        System.exit(2);
    }
}
