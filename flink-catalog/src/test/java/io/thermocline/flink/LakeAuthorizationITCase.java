package io.thermocline.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.security.AclBinding;
import io.thermocline.common.security.AclBinding.Operation;
import io.thermocline.common.security.AclBinding.ResourceType;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.AuthorizationException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.flink.catalog.ThermoclineCatalog;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.tiering.testutils.TieringRounds;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Reading a table's lake rows needs READ on the table, checked by the cluster: a principal denied
 * READ gets an authorization error for the union read, {@code t$lake} and {@code t$lake$snapshots},
 * and never receives the lake catalog's options; one allowed reads all three.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LakeAuthorizationITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).lake()
            .sasl("broker", "broker-secret").authorization("admin")
            .user("admin", "admin-secret").user("reader", "reader-secret").user("denied", "denied-secret")
            .build();

    private static final TablePath PAYMENTS = TablePath.of("shop", "payments");
    private static final int ROWS = 40;

    @BeforeAll
    static void tierPayments() throws Exception {
        Map<String, String> admin = CLUSTER.saslClientConf("admin", "admin-secret").toMap();
        try (Connection connection = ConnectionFactory.create(new Configuration(admin))) {
            connection.admin().createDatabase("shop", null, true).get();
            long tableId = connection.admin().createTable(PAYMENTS, TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.BIGINT()).build()).buckets(1).replicationFactor(1)
                    .options(Map.of("table.datalake.enabled", "true", "table.datalake.freshness", "1 s")).build(),
                    false).get();
            try (AppendWriter writer = connection.table(PAYMENTS).newAppendWriter()) {
                for (long id = 0; id < ROWS; id++) {
                    writer.append(GenericRow.of(id));
                }
                writer.flush();
            }
            long end = connection.admin().listOffsets(PAYMENTS, List.of(0), OffsetSpec.latest()).get().get(0);
            TieringRounds.tierUntil(CLUSTER, PAYMENTS, Map.of(new TableBucket(tableId, 0), end), admin);
            // Both may see the cluster and the table; only the reader may read it.
            connection.admin().createAcls(List.of(
                    AclBinding.allow("User:*", ResourceType.CLUSTER, "", Operation.DESCRIBE),
                    AclBinding.allow("User:*", ResourceType.DATABASE, "shop", Operation.DESCRIBE),
                    AclBinding.allow("User:reader", ResourceType.TABLE, "shop.payments", Operation.READ),
                    AclBinding.allow("User:denied", ResourceType.DATABASE, "shop", Operation.READ),
                    AclBinding.deny("User:denied", ResourceType.TABLE, "shop.payments", Operation.READ))).get();
        }
        try (Connection reader = ConnectionFactory.create(CLUSTER.saslClientConf("reader", "reader-secret"))) {
            TestCluster.waitUntil(() -> !reader.admin().getLakeCatalogOptions(PAYMENTS).exceptionally(e -> Map.of())
                    .join().isEmpty(), Duration.ofSeconds(10), "the ACLs to apply");
        }
    }

    @Test
    void aPrincipalDeniedReadGetsNoLakeRowsAndNoLakeCredentials() throws Exception {
        try (Connection denied = ConnectionFactory.create(CLUSTER.saslClientConf("denied", "denied-secret"))) {
            assertThatThrownBy(() -> denied.admin().getLakeCatalogOptions(PAYMENTS).join())
                    .isInstanceOf(CompletionException.class).cause().isInstanceOf(AuthorizationException.class)
                    .hasMessageContaining("User:denied may not READ table shop.payments (GetLakeCatalog)");
            assertThat(denied.admin().listDatabases().get()).contains("shop"); // the cluster itself it may see
        }
        TableEnvironment sql = session("denied", "denied-secret");
        for (String query : List.of("SELECT COUNT(*) FROM shop.payments", "SELECT COUNT(*) FROM shop.`payments$lake`",
                "SELECT * FROM shop.`payments$lake$snapshots`")) {
            assertThatThrownBy(() -> rows(sql, query)).as(query)
                    .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof AuthorizationException
                            && c.getMessage().contains("User:denied may not READ table shop.payments")));
        }
        ThermoclineCatalog catalog = (ThermoclineCatalog) sql.getCatalog("tc").orElseThrow();
        assertThat(catalog.clientOptions().keySet()).noneMatch(key -> key.startsWith("lake."));
    }

    @Test
    void aPrincipalAllowedReadReadsTheUnionTheLakeViewAndItsMetadata() throws Exception {
        TableEnvironment sql = session("reader", "reader-secret");
        assertThat(rows(sql, "SELECT COUNT(*) FROM shop.payments")).containsExactly(Row.of((long) ROWS));
        assertThat(rows(sql, "SELECT COUNT(*) FROM shop.`payments$lake`")).containsExactly(Row.of((long) ROWS));
        assertThat(rows(sql, "SELECT snapshot_id FROM shop.`payments$lake$snapshots`")).isNotEmpty();
    }

    @Test
    void aSuperUserGetsTheLakeOptions() throws Exception {
        try (Connection admin = ConnectionFactory.create(CLUSTER.saslClientConf("admin", "admin-secret"))) {
            assertThat(admin.admin().getLakeCatalogOptions(PAYMENTS).get()).containsEntry("lake.catalog.warehouse",
                    CLUSTER.lakeWarehouse().toString());
        }
    }

    private static TableEnvironment session(String user, String password) {
        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        String options = CLUSTER.saslClientConf(user, password).toMap().entrySet().stream()
                .map(e -> "'" + e.getKey() + "' = '" + e.getValue() + "'").collect(Collectors.joining(", "));
        sql.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', " + options + ")");
        sql.executeSql("USE CATALOG tc");
        return sql;
    }

    private static List<Row> rows(TableEnvironment sql, String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = sql.executeSql(query).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable t = e; t != null && !causes.contains(t); t = t.getCause()) {
            causes.add(t);
        }
        return causes;
    }
}
