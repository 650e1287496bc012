package io.thermocline.tiering;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs a tiering job on an embedded Flink (what {@code thermocline local} starts next to the
 * cluster), or on the Flink cluster it is submitted to.
 *
 * <p>Usage: {@code TieringMain --bootstrap-servers HOST:PORT --warehouse PATH [--conf KEY=VALUE]...};
 * {@code --conf} takes any client, lake catalog ({@code lake.catalog.*}) or tiering option.
 */
public final class TieringMain {
    private TieringMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> conf = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap-servers":
                    conf.put("bootstrap.servers", args[i + 1]);
                    break;
                case "--warehouse":
                    conf.put("lake.catalog.warehouse", args[i + 1]);
                    break;
                case "--conf":
                    int eq = args[i + 1].indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--conf takes KEY=VALUE, got " + args[i + 1]);
                    }
                    conf.put(args[i + 1].substring(0, eq), args[i + 1].substring(eq + 1));
                    break;
                default:
                    throw new IllegalArgumentException("Unknown argument " + args[i]
                            + "; usage: --bootstrap-servers HOST:PORT --warehouse PATH [--conf KEY=VALUE]...");
            }
        }
        if (!conf.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("--bootstrap-servers is required");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                TieringJob.flinkConfiguration());
        TieringJob job = TieringJob.of(conf);
        job.addTo(env);
        System.out.println("Tiering job " + job.jobId() + " tiers lake-enabled tables of " + conf.get("bootstrap.servers")
                + " into " + conf.getOrDefault("lake.catalog.warehouse", "the configured lake catalog"));
        env.execute("thermocline-tiering " + job.jobId());
    }
}
