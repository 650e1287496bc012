package io.thermocline.tiering.testutils;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.tiering.TieringJob;
import io.thermocline.tiering.TieringOptions;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Tiering in tests that read both tiers: the real job, run until the lake holds what the test wants. */
public final class TieringRounds {
    private TieringRounds() {}

    /**
     * Runs the tiering job until the lake holds {@code path} up to exactly {@code ends}, then stops
     * it, so the boundary between the tiers stays where the test put it.
     */
    public static void tierUntil(TestCluster cluster, TablePath path, Map<TableBucket, Long> ends) throws Exception {
        tierUntil(cluster, path, ends, cluster.clientConf().toMap());
    }

    /** The same, the job and the wait connecting with {@code clientOptions} (a super user's, on a secured cluster). */
    public static void tierUntil(TestCluster cluster, TablePath path, Map<TableBucket, Long> ends,
            Map<String, String> clientOptions) throws Exception {
        JobClient tiering = start(cluster, clientOptions);
        try {
            waitTiered(path, ends, clientOptions);
        } finally {
            tiering.cancel().get();
        }
    }

    /** Starts the tiering job of the cluster's lake; the caller cancels it. */
    public static JobClient start(TestCluster cluster, Map<String, String> clientOptions) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(TieringJob.flinkConfiguration());
        Map<String, String> job = new HashMap<>(clientOptions);
        job.putAll(cluster.lakeOptions());
        job.put(TieringOptions.POLL_INTERVAL.key(), "100 ms");
        TieringJob.of(job).addTo(env);
        return env.executeAsync("tiering");
    }

    /** Waits until the lake holds {@code path} up to exactly {@code ends}. */
    public static void waitTiered(TablePath path, Map<TableBucket, Long> ends, Map<String, String> clientOptions)
            throws Exception {
        try (Connection connection = ConnectionFactory.create(new Configuration(clientOptions))) {
            TestCluster.waitUntil(() -> connection.admin().getLakeSnapshot(path).join().map(LakeSnapshot::endOffsets)
                    .filter(ends::equals).isPresent(), Duration.ofSeconds(60), path + " tiered to " + ends);
        }
    }
}
