package io.thermocline.tiering;

import io.thermocline.common.config.Configuration;
import io.thermocline.tiering.committer.CommitterFunction;
import io.thermocline.tiering.source.TieringRecord;
import io.thermocline.tiering.source.TieringSource;
import io.thermocline.tiering.writer.BucketWriteResult;
import io.thermocline.tiering.writer.LakeWriterFunction;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The tiering pipeline: {@link TieringSource} (rounds from the coordinator, one split per bucket)
 * chained to the lake writer, then a single committer. Exactly once comes from the lake and the
 * coordinator, not from Flink state, so the job needs no checkpoints.
 */
public final class TieringJob {
    private static final java.time.Duration CHECKPOINT_INTERVAL = java.time.Duration.ofMinutes(1);

    private final Map<String, String> conf;
    private final TieringFaults faults;
    private final int parallelism;

    private TieringJob(Map<String, String> conf, TieringFaults faults, int parallelism) {
        this.conf = conf;
        this.faults = faults;
        this.parallelism = parallelism;
    }

    /** @param conf client options (bootstrap.servers), lake catalog options and {@link TieringOptions} */
    public static TieringJob of(Map<String, String> conf) {
        Map<String, String> copy = new HashMap<>(conf);
        copy.putIfAbsent(TieringOptions.JOB_ID.key(), "tiering-" + UUID.randomUUID().toString().substring(0, 8));
        new Configuration(copy).get(TieringOptions.MAX_CONCURRENT_ROUNDS); // fails early on a bad option value
        return new TieringJob(Map.copyOf(copy), TieringFaults.NONE, 1);
    }

    public TieringJob withFaults(TieringFaults faults) {
        return new TieringJob(conf, faults, parallelism);
    }

    /** Readers and writers in parallel; the committer is always one. */
    public TieringJob withParallelism(int parallelism) {
        return new TieringJob(conf, faults, parallelism);
    }

    /** Flink options a tiering job should run with: it outlives any failure, restarting and resuming from what the lake holds. */
    public static org.apache.flink.configuration.Configuration flinkConfiguration() {
        org.apache.flink.configuration.Configuration flink = new org.apache.flink.configuration.Configuration();
        flink.setString("restart-strategy.type", "exponential-delay");
        flink.setString("restart-strategy.exponential-delay.max-backoff", "30 s");
        return flink;
    }

    public String jobId() {
        return conf.get(TieringOptions.JOB_ID.key());
    }

    /** Adds the pipeline to {@code env}; the returned stream carries the outcome of every round. */
    public DataStream<String> addTo(StreamExecutionEnvironment env) {
        env.getConfig().enableObjectReuse(); // batches pass from the source to the chained writer uncopied
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            // Exactly once needs no Flink state; checkpoints only let Flink forget the splits it handed out.
            env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis());
        }
        DataStream<TieringRecord> batches = env.fromSource(new TieringSource(conf, jobId()),
                        WatermarkStrategy.noWatermarks(), "tiering-source", TypeInformation.of(TieringRecord.class))
                .setParallelism(parallelism).uid("tiering-source");
        DataStream<String> outcomes = batches
                .process(new LakeWriterFunction(conf, faults), TypeInformation.of(BucketWriteResult.class))
                .setParallelism(parallelism).name("lake-writer").uid("lake-writer")
                .process(new CommitterFunction(conf, faults), TypeInformation.of(String.class))
                .setParallelism(1).name("lake-committer").uid("lake-committer");
        outcomes.sinkTo(new DiscardingSink<>()).setParallelism(1).name("round-outcomes");
        return outcomes;
    }
}
