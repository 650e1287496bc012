package io.thermocline.tiering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * {@code TieringMain} as the compose setup runs it: it sends the tiering job to a Flink cluster's
 * REST endpoint with the jars the job needs there, returns, and the job tiers on without it.
 */
class TieringMainITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).lake().build();

    @TempDir
    Path dir;

    @Test
    void submitsTheJobToAFlinkClusterAndReturnsWhileItTiers() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, 0);
        try (MiniCluster flink = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                        .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
                Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            flink.start();
            URI rest = flink.getRestAddress().get();
            // In this JVM the task manager has the classes already; the jar only has to be shipped.
            Path jars = Files.createDirectories(dir.resolve("job-lib"));
            try (OutputStream out = Files.newOutputStream(jars.resolve("job.jar"));
                    JarOutputStream jar = new JarOutputStream(out, new Manifest())) {
                jar.flush();
            }
            TieringMain.main(new String[] {"--bootstrap-servers", CLUSTER.bootstrapServers(), "--warehouse",
                CLUSTER.lakeWarehouse().toString(), "--flink-rest", rest.getHost() + ":" + rest.getPort(),
                "--job-jars", jars.toString(), "--conf", "tiering.poll-interval=100 ms"});

            assertThat(flink.listJobs().get()).extracting(JobStatusMessage::getJobName)
                    .singleElement().asString().startsWith("thermocline-tiering ");
            TablePath path = TablePath.of("main", "events");
            connection.admin().createDatabase("main", null, true).get();
            connection.admin().createTable(path, TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.BIGINT()).build()).buckets(1)
                    .options(Map.of("table.datalake.enabled", "true", "table.datalake.freshness", "200 ms"))
                    .build(), false).get();
            try (AppendWriter writer = connection.table(path).newAppendWriter()) {
                for (long id = 0; id < 10; id++) {
                    writer.append(GenericRow.of(id));
                }
                writer.flush();
            }
            TestCluster.waitUntil(() -> connection.admin().getLakeSnapshot(path).join()
                    .map(s -> s.endOffsets().values().stream().mapToLong(Long::longValue).sum() == 10).orElse(false),
                    Duration.ofMinutes(1), "the submitted job to tier the table");
            flink.cancelJob(flink.listJobs().get().iterator().next().getJobId()).get(); // before Flink closes its class loader
        }
    }

    @Test
    void aFlinkClusterWithoutJobJarsIsRefusedWithTheOptionNamed() throws Exception {
        String[] base = {"--bootstrap-servers", CLUSTER.bootstrapServers(), "--warehouse", dir.toString()};
        assertThatThrownBy(() -> TieringMain.main(concat(base, "--flink-rest", "127.0.0.1:8081")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs --job-jars DIR");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> TieringMain.main(concat(base, "--flink-rest", "127.0.0.1:8081", "--job-jars",
                empty.toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--job-jars " + empty + " holds no jars");
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
