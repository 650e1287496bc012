package io.thermocline.tiering;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a tiering job on an embedded Flink, or sends it to a Flink cluster's REST endpoint
 * ({@code --flink-rest}) with the jars it needs there ({@code --job-jars}).
 *
 * <p>Usage: {@code TieringMain --bootstrap-servers HOST:PORT --warehouse PATH [--flink-rest HOST:PORT
 * --job-jars DIR] [--conf KEY=VALUE]...};
 * {@code --conf} takes any client, lake catalog ({@code lake.catalog.*}) or tiering option.
 */
public final class TieringMain {
    private TieringMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> conf = new HashMap<>();
        String flinkRest = null;
        Path jobJars = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap-servers":
                    conf.put("bootstrap.servers", args[i + 1]);
                    break;
                case "--warehouse":
                    conf.put("lake.catalog.warehouse", args[i + 1]);
                    break;
                case "--flink-rest":
                    flinkRest = args[i + 1];
                    break;
                case "--job-jars":
                    jobJars = Paths.get(args[i + 1]);
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
                            + "; usage: --bootstrap-servers HOST:PORT --warehouse PATH"
                            + " [--flink-rest HOST:PORT --job-jars DIR] [--conf KEY=VALUE]...");
            }
        }
        if (!conf.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("--bootstrap-servers is required");
        }
        Configuration flink = TieringJob.flinkConfiguration();
        StreamExecutionEnvironment env;
        if (flinkRest == null) {
            env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        } else {
            submitTo(flink, flinkRest, jobJars);
            env = new StreamExecutionEnvironment(flink);
        }
        TieringJob job = TieringJob.of(conf);
        job.addTo(env);
        System.out.println("Tiering job " + job.jobId() + " tiers lake-enabled tables of " + conf.get("bootstrap.servers")
                + " into " + conf.getOrDefault("lake.catalog.warehouse", "the configured lake catalog"));
        env.execute("thermocline-tiering " + job.jobId());
    }

    /** Sends the job to a Flink cluster's REST endpoint, with the jars its task managers need. */
    private static void submitTo(Configuration flink, String rest, Path jobJars) throws IOException {
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || jobJars == null) {
            throw new IllegalArgumentException("--flink-rest takes HOST:PORT, and needs --job-jars DIR (the jars of the"
                    + " tiering job without Flink's own), got " + rest);
        }
        List<String> jars;
        try (Stream<Path> files = Files.list(jobJars)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).map(f -> f.toUri().toString()).sorted().toList();
        }
        if (jars.isEmpty()) {
            throw new IllegalArgumentException("--job-jars " + jobJars + " holds no jars");
        }
        flink.set(DeploymentOptions.TARGET, "remote");
        flink.set(RestOptions.ADDRESS, rest.substring(0, colon));
        flink.set(RestOptions.PORT, Integer.parseInt(rest.substring(colon + 1)));
        flink.set(PipelineOptions.JARS, jars);
        flink.set(DeploymentOptions.ATTACHED, false); // the job runs on; this process only submits it
    }
}
