package io.thermocline.tiering;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The tiering job on a SASL cluster with authorization on: it carries its credentials into every connection. */
class SecureTieringITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).lake()
            .sasl("broker", "broker-secret").authorization("tiering").user("tiering", "tiering-secret")
            .build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static Map<String, String> credentials() {
        return new HashMap<>(CLUSTER.saslClientConf("tiering", "tiering-secret").toMap());
    }

    @Test
    void theTieringJobAuthenticatesAndTiers() throws Exception {
        TablePath path = TablePath.of("secure", "events");
        try (Connection connection = ConnectionFactory.create(new Configuration(credentials()))) {
            connection.admin().createDatabase("secure", null, true).get();
            connection.admin().createTable(path, TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.BIGINT()).build()).buckets(1).replicationFactor(1)
                    .options(Map.of("table.datalake.enabled", "true", "table.datalake.freshness", "200 ms"))
                    .build(), false).get();
            try (AppendWriter writer = connection.table(path).newAppendWriter()) {
                for (long id = 0; id < 20; id++) {
                    writer.append(GenericRow.of(id));
                }
                writer.flush();
            }
            Map<String, String> job = credentials();
            job.put("lake.catalog.warehouse", CLUSTER.lakeWarehouse().toString());
            job.put(TieringOptions.POLL_INTERVAL.key(), "100 ms");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            TieringJob.of(job).addTo(env);
            JobClient tiering = env.executeAsync("secure-tiering");
            try {
                TestCluster.waitUntil(() -> connection.admin().getLakeSnapshot(path).join()
                        .map(s -> s.endOffsets().values().stream().mapToLong(Long::longValue).sum() == 20)
                        .orElse(false), Duration.ofMinutes(1), "the authenticated tiering job to tier the table");
            } finally {
                tiering.cancel().get();
            }
        }
    }
}
