package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/** A writer whose sender cannot work fails its writes and flushes with the reason, instead of hanging. */
class WriterFailureITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).build();

    @TempDir
    Path dir;

    @Test
    void aClientJvmWithoutArrowsOptionFailsItsWritesNamingTheOption() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            connection.admin().createDatabase("probe", null, true).join();
            connection.admin().createTable(TablePath.of("probe", "t"), TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.BIGINT()).column("name", DataTypes.STRING()).build()).buckets(1).build(),
                    false).join();
        }
        // No --add-opens=java.base/java.nio: Arrow cannot reach direct buffers when a batch is compressed.
        Path out = dir.resolve("probe.out");
        Process probe = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), WriterProbe.class.getName(), CLUSTER.bootstrapServers(), "probe", "t")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean ended = probe.waitFor(2, TimeUnit.MINUTES);
        probe.destroyForcibly();
        String output = Files.readString(out);
        assertThat(ended).as("the probe ended:\n%s", output).isTrue();
        assertThat(output).contains("flush failed: The writer of probe.t stopped:",
                "append failed: The writer of probe.t stopped:", "--add-opens=java.base/java.nio=ALL-UNNAMED");
    }
}
