package io.thermocline.tiering;

import io.thermocline.common.config.CommandLine;
import io.thermocline.lake.LakeCatalog;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Map;
import java.util.Set;

/**
 * The tiering job as a Flink application, the main class of the tiering jar: what {@code flink run
 * thermocline-tiering.jar ARGS} and the REST API's jar run start. It runs where Flink runs it (the
 * client, or the job manager for a REST submission), so it never exits the JVM: a bad argument or
 * a lake catalog that cannot work is an exception, which Flink reports to the submitter.
 *
 * <p>Arguments: {@code [--config FILE] [--bootstrap-servers HOST:PORT] [--warehouse PATH]
 * [KEY=VALUE | --conf KEY=VALUE]...}, as {@link TieringMain}'s. Each submission is one more copy
 * of the job; copies share the coordinator's tiering queue, so submitting several scales out.
 */
public final class TieringApplication {
    private TieringApplication() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> conf =
                TieringMain.options(CommandLine.parse(args, Set.of("--bootstrap-servers", "--warehouse"), Set.of()));
        new LakeCatalog(conf).close(); // refused before the job starts
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(TieringJob.flinkConfiguration());
        TieringJob job = TieringJob.of(conf);
        job.addTo(env);
        env.execute("thermocline-tiering " + job.jobId());
    }
}
