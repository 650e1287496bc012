package io.thermocline.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.server.testutils.TestCluster;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The implicit lookup join: plans before and after the rule, and the same answer with and without
 * it, on a real cluster and a Flink MiniCluster.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ImplicitLookupJoinITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).build();

    static TableEnvironment streaming;

    private static final String JOIN = "SELECT o.oid, c.name FROM shop.orders AS o JOIN shop.customers AS c"
            + " ON o.cid = c.id";

    @BeforeAll
    static void tables() throws Exception {
        streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        ThermoclinePlanner.install(streaming);
        streaming.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                + CLUSTER.bootstrapServers() + "')");
        streaming.executeSql("USE CATALOG tc");
        streaming.executeSql("CREATE DATABASE IF NOT EXISTS shop");
        streaming.executeSql("CREATE TABLE shop.customers (id INT NOT NULL, name STRING, tier STRING,"
                + " PRIMARY KEY (id) NOT ENFORCED) WITH ('bucket.num' = '3')");
        streaming.executeSql("CREATE TABLE shop.prices (region STRING NOT NULL, sku INT NOT NULL, price INT,"
                + " PRIMARY KEY (region, sku) NOT ENFORCED) WITH ('bucket.num' = '2', 'bucket.key' = 'region')");
        streaming.executeSql("CREATE TABLE shop.orders (oid BIGINT, cid INT, region STRING) WITH ('bucket.num' = '2')");
        streaming.executeSql("INSERT INTO shop.customers VALUES (1, 'ann', 'gold'), (2, 'bob', 'silver'),"
                + " (3, 'cy', 'gold')").await();
        streaming.executeSql("INSERT INTO shop.customers VALUES (2, 'bob2', 'gold')").await(); // an update
        streaming.executeSql("INSERT INTO shop.prices VALUES ('eu', 1, 10), ('eu', 2, 20), ('us', 1, 11)").await();
        streaming.executeSql("INSERT INTO shop.orders VALUES (100, 1, 'eu'), (101, 2, 'us'), (102, 9, 'eu'),"
                + " (103, 3, 'asia')").await();
    }

    @AfterEach
    void off() {
        streaming.getConfig().set(PlannerOptions.IMPLICIT_LOOKUP_JOIN, false);
    }

    @Test
    void aJoinOnThePrimaryKeyBecomesALookupJoinOnlyWhenEnabled() {
        String before = streaming.explainSql(JOIN);
        assertThat(before).contains("Join(joinType=[InnerJoin]").doesNotContain("LookupJoin");

        streaming.getConfig().set(PlannerOptions.IMPLICIT_LOOKUP_JOIN, true);
        String after = streaming.explainSql(JOIN);
        assertThat(after).contains("LookupJoin(table=[tc.shop.customers]").contains("lookup=[id=cid]")
                .doesNotContain("Join(joinType=[InnerJoin]");
    }

    @Test
    void theLookupJoinGivesTheAnswerOfTheRegularJoin() throws Exception {
        Map<String, Integer> expected = Map.of("[100, ann]", 1, "[101, bob2]", 1, "[103, cy]", 1);
        awaitResult(JOIN, expected);
        streaming.getConfig().set(PlannerOptions.IMPLICIT_LOOKUP_JOIN, true);
        awaitResult(JOIN, expected);
    }

    @Test
    void aLeftJoinKeepsUnmatchedRowsAsWithoutTheRule() throws Exception {
        String left = "SELECT o.oid, c.tier FROM shop.orders AS o LEFT JOIN shop.customers AS c ON o.cid = c.id";
        Map<String, Integer> expected = Map.of("[100, gold]", 1, "[101, gold]", 1, "[102, null]", 1, "[103, gold]", 1);
        awaitResult(left, expected);
        streaming.getConfig().set(PlannerOptions.IMPLICIT_LOOKUP_JOIN, true);
        assertThat(streaming.explainSql(left)).contains("LookupJoin(table=[tc.shop.customers]")
                .contains("joinType=[LeftOuterJoin]");
        awaitResult(left, expected);
    }

    @Test
    void keysCoveringTheLeadingBucketKeyArePrefixLookups() throws Exception {
        String byRegion = "SELECT o.oid, p.sku, p.price FROM shop.orders AS o JOIN shop.prices AS p"
                + " ON o.region = p.region";
        Map<String, Integer> expected = Map.of("[100, 1, 10]", 1, "[100, 2, 20]", 1, "[101, 1, 11]", 1,
                "[102, 1, 10]", 1, "[102, 2, 20]", 1);
        awaitResult(byRegion, expected);
        streaming.getConfig().set(PlannerOptions.IMPLICIT_LOOKUP_JOIN, true);
        assertThat(streaming.explainSql(byRegion)).contains("LookupJoin(table=[tc.shop.prices]");
        awaitResult(byRegion, expected);
    }

    @Test
    void joinsTheRuleCannotServeStayRegularJoins() {
        streaming.getConfig().set(PlannerOptions.IMPLICIT_LOOKUP_JOIN, true);
        // No key column joined.
        assertThat(streaming.explainSql("SELECT o.oid FROM shop.orders AS o JOIN shop.customers AS c"
                + " ON o.region = c.tier")).doesNotContain("LookupJoin");
        // A log table has no key to look up.
        assertThat(streaming.explainSql("SELECT o.oid FROM shop.orders AS o JOIN shop.orders AS x ON o.oid = x.oid"))
                .doesNotContain("LookupJoin");
        // Batch queries read the table once instead.
        TableEnvironment batch = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        ThermoclinePlanner.install(batch);
        batch.getConfig().set(PlannerOptions.IMPLICIT_LOOKUP_JOIN, true);
        batch.executeSql("CREATE CATALOG tc WITH ('type' = 'thermocline', 'bootstrap.servers' = '"
                + CLUSTER.bootstrapServers() + "')");
        batch.executeSql("USE CATALOG tc");
        assertThat(batch.explainSql(JOIN)).doesNotContain("LookupJoin");
    }

    /**
     * Reads a streaming query's changelog (inserts and retractions) until the rows it adds up to
     * are {@code expected}; the class timeout fails a query that never gets there.
     */
    private static void awaitResult(String query, Map<String, Integer> expected) throws Exception {
        Map<String, Integer> result = new HashMap<>();
        try (CloseableIterator<Row> it = streaming.executeSql(query).collect()) {
            while (!result.equals(expected)) {
                Row row = it.next();
                RowKind kind = row.getKind();
                int delta = kind == RowKind.INSERT || kind == RowKind.UPDATE_AFTER ? 1 : -1;
                result.merge(values(row), delta, Integer::sum);
                result.values().removeIf(count -> count == 0);
            }
        }
    }

    private static String values(Row row) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < row.getArity(); i++) {
            values.add(row.getField(i));
        }
        return values.toString();
    }
}
