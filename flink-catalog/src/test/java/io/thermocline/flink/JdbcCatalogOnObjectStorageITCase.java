package io.thermocline.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.exception.LakeException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.testservers.PostgresServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The lake behind Iceberg's JDBC catalog on a real PostgreSQL server. */
class JdbcCatalogOnObjectStorageITCase extends LakeOnObjectStorageITCase {
    static PostgresServer postgres;

    @BeforeAll
    static void startCatalog() {
        postgres = PostgresServer.start(dir.resolve("postgres"));
        startCluster(catalog());
    }

    private static Map<String, String> catalog() {
        return Map.of("type", "jdbc", "uri", postgres.jdbcUrl(), "jdbc.user", PostgresServer.USER,
                "jdbc.password", PostgresServer.PASSWORD, "warehouse", WAREHOUSE);
    }

    @AfterAll
    static void stopCatalog() {
        stopCluster();
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * A cluster whose S3 secret is wrong: the first lake-enabled table fails to be created with an
     * error naming the lake catalog and the store's refusal; tables without a lake work as ever.
     */
    @Test
    void wrongObjectStoreCredentialsFailTheFirstLakeTableAndSpareTheOthers() throws Exception {
        Map<String, String> options = new TreeMap<>(s3.icebergProperties());
        options.putAll(catalog());
        options.put("s3.secret-access-key", "not-the-secret");
        TestCluster wrong = TestCluster.builder().tabletServers(1).lake(options).build();
        wrong.start();
        try (Connection connection = ConnectionFactory.create(wrong.clientConf())) {
            Admin admin = connection.admin();
            admin.createDatabase("wrong", null, true).get();
            Schema schema = Schema.builder().column("id", DataTypes.BIGINT()).build();
            TablePath lake = TablePath.of("wrong", "lake_events");
            assertThatThrownBy(() -> admin.createTable(lake, TableDescriptor.builder(schema)
                    .options(Map.of("table.datalake.enabled", "true")).build(), false).get())
                    .hasCauseInstanceOf(LakeException.class)
                    .hasMessageContaining("Lake catalog 'thermocline' (jdbc at " + postgres.jdbcUrl() + ")")
                    .hasMessageContaining("403");
            assertThat(admin.listTables("wrong").get()).doesNotContain("lake_events");

            TablePath plain = TablePath.of("wrong", "events");
            admin.createTable(plain, TableDescriptor.builder(schema).buckets(1).build(), false).get();
            try (AppendWriter writer = connection.table(plain).newAppendWriter()) {
                writer.append(GenericRow.of(1L)).get();
            }
            assertThat(admin.listOffsets(plain, List.of(0), OffsetSpec.latest()).get()).containsEntry(0, 1L);
        } finally {
            wrong.stop();
        }
    }
}
