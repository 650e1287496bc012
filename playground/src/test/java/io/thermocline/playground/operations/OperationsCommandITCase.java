package io.thermocline.playground.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code thermocline elect-leaders}, {@code reassign} and {@code drain} against a cluster of three servers. */
class OperationsCommandITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(3)
            .serverOption("coordinator.auto-leader-rebalance", "false")
            .build();

    @Test
    void leadershipsReplicasAndServersAreMovedFromTheCommandLine() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            admin.createDatabase("ops", null, true).get();
            TablePath log = TablePath.of("ops", "events");
            admin.createTable(log, TableDescriptor.builder(Schema.builder().column("id", DataTypes.BIGINT()).build())
                    .buckets(3).replicationFactor(2).build(), false).get();
            TablePath byDay = TablePath.of("ops", "daily");
            admin.createTable(byDay, TableDescriptor.builder(Schema.builder().column("day", DataTypes.STRING().notNull())
                    .column("id", DataTypes.BIGINT()).build()).buckets(2).replicationFactor(2).partitionedBy("day")
                    .build(), false).get();
            admin.createPartition(byDay, Map.of("day", "2026-12-07"), false).get();
            TestCluster.waitUntil(() -> admin.getTable(log).join().buckets().stream().allMatch(b -> b.isr().size() == 2),
                    Duration.ofSeconds(30), "replicas in sync");

            assertThat(run(admin, "elect-leaders")).isEqualTo("Moved 0 leaderships back to their preferred replicas.\n");

            List<Integer> replicas = admin.getTable(log).get().buckets().get(0).replicas();
            int spare = List.of(0, 1, 2).stream().filter(s -> !replicas.contains(s)).findFirst().orElseThrow();
            String moved = run(admin, "reassign", "ops.events", "0", spare + "," + replicas.get(0));
            assertThat(moved).startsWith("Moving ops.events bucket 0 to servers [" + spare + ", " + replicas.get(0) + "].")
                    .endsWith("Moved ops.events bucket 0: replicas [" + spare + ", " + replicas.get(0) + "].\n");
            assertThat(admin.getTable(log).get().buckets().get(0).replicas()).containsExactly(spare, replicas.get(0));

            String drained = run(admin, "drain", "2");
            assertThat(drained).startsWith("Draining tablet server 2: ")
                    .endsWith("Tablet server 2 holds no replica; it may be stopped for good.\n");
            assertThat(OperationsCommand.bucketsHolding(admin, 2)).isZero();
            assertThat(admin.listPartitions(byDay).get().get(0).buckets())
                    .allSatisfy(b -> assertThat(b.replicas()).hasSize(2).doesNotContain(2));

            assertThatThrownBy(() -> run(admin, "reassign", "events", "0", "1,2"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database.table");
            assertThatThrownBy(() -> run(admin, "drain", "two")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'two' is not a server id");
        }
    }

    private static String run(Admin admin, String... words) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OperationsCommand.run(new OperationsCommand.Request(List.of(words), null, true, Duration.ofMinutes(1)), admin,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
