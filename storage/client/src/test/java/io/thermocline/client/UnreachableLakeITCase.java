package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.exception.LakeException;
import io.thermocline.common.exception.TableNotExistException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

/** A lake catalog nobody answers: lake-enabled tables are refused by name, the hot tier serves on. */
class UnreachableLakeITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1)
            .serverOption("lake.catalog.type", "rest")
            .serverOption("lake.catalog.uri", "http://127.0.0.1:1")
            .build();

    @Test
    void lakeTablesAreRefusedNamingTheCatalogAndHotTablesStillWork() throws Exception {
        Schema schema = Schema.builder().column("id", DataTypes.BIGINT()).build();
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            Admin admin = connection.admin();
            admin.createDatabase("db", null, true).get();
            TablePath lake = TablePath.of("db", "tiered");
            assertThatThrownBy(() -> admin.createTable(lake, TableDescriptor.builder(schema)
                    .options(Map.of("table.datalake.enabled", "true")).build(), false).get())
                    .cause().isInstanceOf(LakeException.class)
                    .hasMessageContaining("Lake catalog 'thermocline' (rest at http://127.0.0.1:1)")
                    .hasMessageContaining("db.tiered");
            assertThatThrownBy(() -> admin.getTable(lake).get()).cause().isInstanceOf(TableNotExistException.class);

            TablePath hot = TablePath.of("db", "hot");
            admin.createTable(hot, TableDescriptor.builder(schema).build(), false).get();
            try (AppendWriter writer = connection.table(hot).newAppendWriter()) {
                assertThat(writer.append(GenericRow.of(1L)).get().offset()).isZero();
            }
        }
    }
}
