package io.thermocline.playground.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code thermocline status} on a real cluster of two servers. */
class StatusCommandITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(2).lake().build();

    @Test
    void showsServersBucketsOffsetsAndLakeLag() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            connection.admin().createDatabase("shop", null, true).get();
            TablePath orders = TablePath.of("shop", "orders");
            connection.admin().createTable(orders, TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.BIGINT()).column("item", DataTypes.STRING()).build()).buckets(2)
                    .replicationFactor(2).options(Map.of("table.datalake.enabled", "true")).build(), false).get();
            TablePath daily = TablePath.of("shop", "daily");
            connection.admin().createTable(daily, TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.BIGINT()).column("dt", DataTypes.STRING()).build()).buckets(1)
                    .partitionedBy("dt").build(), false).get();
            try (AppendWriter writer = connection.table(orders).newAppendWriter()) {
                for (long id = 0; id < 10; id++) {
                    writer.append(GenericRow.of(id, BinaryString.fromString("x")));
                }
                writer.flush();
            }
            try (AppendWriter writer = connection.table(daily).newAppendWriter()) {
                writer.append(GenericRow.of(1L, BinaryString.fromString("2026-11-23"))).get();
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            StatusCommand.print(connection.admin(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String status = bytes.toString(StandardCharsets.UTF_8);

            assertThat(status).contains("Tablet servers (2): 0 127.0.0.1:", ", 1 127.0.0.1:");
            assertThat(status).contains("Table shop.orders: log table, 2 buckets, lake every")
                    .contains("lake snapshot: none yet").contains("in lake").contains("lake lag");
            long orderRows = status.lines().filter(l -> l.matches("\\s+[01]\\s+[01]\\s+\\[[01],[01]\\]\\s+\\[[01],[01]\\]"
                    + "\\s+\\d+\\s+0\\s+\\d+")).mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[4])).sum();
            assertThat(orderRows).isEqualTo(10); // the hot end offsets add up to the rows written, all lag
            assertThat(status).contains("Table shop.daily: log table, 1 buckets, partitioned by [dt]")
                    .containsPattern("dt=2026-11-23/0\\s+[01]\\s+\\[[01],[01]\\]\\s+\\[[01](,[01])?\\]\\s+1");
        }
    }
}
