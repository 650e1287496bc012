package io.thermocline.tiering;

import io.thermocline.common.config.CommandLine;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.LakeException;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.lake.LakeOptions;

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
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs a tiering job on an embedded Flink, or sends it to a Flink cluster's REST endpoint
 * ({@code --flink-rest}) with the jars it needs there ({@code --job-jars}).
 *
 * <p>Usage: {@code TieringMain [--config FILE] [--bootstrap-servers HOST:PORT] [--warehouse PATH]
 * [--flink-rest HOST:PORT --job-jars DIR] [KEY=VALUE | --conf KEY=VALUE]...}: the file's options
 * (YAML), then the others winning over them; any client, lake catalog ({@code lake.catalog.*}) or
 * tiering option.
 */
public final class TieringMain {
    private static final String USAGE = "Usage: TieringMain [--config FILE] [--bootstrap-servers HOST:PORT]"
            + " [--warehouse PATH] [--flink-rest HOST:PORT --job-jars DIR] [KEY=VALUE | --conf KEY=VALUE]...";

    private TieringMain() {}

    public static void main(String[] args) throws Exception {
        CommandLine line;
        Map<String, String> conf;
        try {
            line = CommandLine.parse(args, Set.of("--bootstrap-servers", "--warehouse", "--flink-rest", "--job-jars"),
                    Set.of());
            conf = options(line);
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        String flinkRest = line.flag("--flink-rest");
        Path jobJars = line.has("--job-jars") ? Paths.get(line.flag("--job-jars")) : null;
        try {
            new LakeCatalog(conf).close(); // a lake catalog that cannot work is refused before the job starts
        } catch (LakeException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(2);
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

    /** The job's options: the file's, then the command line's; bootstrap.servers required. */
    static Map<String, String> options(CommandLine line) {
        Map<String, String> conf = new HashMap<>(line.options());
        if (line.has("--bootstrap-servers")) {
            conf.put("bootstrap.servers", line.flag("--bootstrap-servers"));
        }
        if (line.has("--warehouse")) {
            conf.put(LakeOptions.WAREHOUSE.key(), line.flag("--warehouse"));
        }
        if (!conf.containsKey("bootstrap.servers")) {
            throw new InvalidConfigException("bootstrap.servers is required (--bootstrap-servers, or in the file)");
        }
        return conf;
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
