package io.thermocline.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.server.testutils.TestCluster;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lookup joins ({@code FOR SYSTEM_TIME AS OF}) enrich a stream from a primary-key table's KV
 * tablets: by the whole key (async and batched, or sync with a cache) and by a bucket-key prefix.
 */
// Streaming reads block on their results: a regression fails the test instead of hanging CI.
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LookupJoinITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).build();

    static TableEnvironment streaming;

    @BeforeAll
    static void tables() throws Exception {
        streaming = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
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
        streaming.executeSql("INSERT INTO shop.customers VALUES (2, 'bob', 'gold')").await(); // an update
        streaming.executeSql("INSERT INTO shop.prices VALUES ('eu', 1, 10), ('eu', 2, 20), ('us', 1, 11)").await();
        streaming.executeSql("INSERT INTO shop.orders VALUES (100, 1, 'eu'), (101, 2, 'us'), (102, 9, 'eu'),"
                + " (103, 3, 'asia')").await();
        streaming.executeSql("CREATE TEMPORARY VIEW orders_now AS SELECT *, PROCTIME() AS pt FROM shop.orders");
    }

    @Test
    void anAsyncLookupJoinEnrichesAStreamWithTheCurrentRows() throws Exception {
        assertThat(take("SELECT o.oid, c.name, c.tier FROM orders_now AS o LEFT JOIN shop.customers"
                + " FOR SYSTEM_TIME AS OF o.pt AS c ON o.cid = c.id", 4))
                .containsExactlyInAnyOrder("+I[100, ann, gold]", "+I[101, bob, gold]", "+I[102, null, null]",
                        "+I[103, cy, gold]");
    }

    @Test
    void aSyncCachedLookupJoinGivesTheSameRows() throws Exception {
        assertThat(take("SELECT o.oid, c.name FROM orders_now AS o JOIN shop.customers /*+ OPTIONS('lookup.async' ="
                + " 'false', 'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '100') */"
                + " FOR SYSTEM_TIME AS OF o.pt AS c ON o.cid = c.id", 3))
                .containsExactlyInAnyOrder("+I[100, ann]", "+I[101, bob]", "+I[103, cy]");
    }

    @Test
    void joinKeysCoveringOnlyTheBucketKeyArePrefixLookups() throws Exception {
        assertThat(take("SELECT o.oid, p.sku, p.price FROM orders_now AS o JOIN shop.prices"
                + " FOR SYSTEM_TIME AS OF o.pt AS p ON o.region = p.region", 5))
                .containsExactlyInAnyOrder("+I[100, 1, 10]", "+I[100, 2, 20]", "+I[101, 1, 11]", "+I[102, 1, 10]",
                        "+I[102, 2, 20]");
    }

    @Test
    void joinKeysThatReachNoKeyAreAnErrorNamingTableAndKeys() {
        assertThatThrownBy(() -> streaming.executeSql("SELECT o.oid FROM orders_now AS o JOIN shop.customers"
                + " FOR SYSTEM_TIME AS OF o.pt AS c ON o.region = c.tier"))
                .hasStackTraceContaining("shop.customers").hasStackTraceContaining("(tier)")
                .hasStackTraceContaining("primary key (id)");
        assertThatThrownBy(() -> streaming.executeSql("SELECT o.oid FROM orders_now AS o JOIN shop.orders"
                + " FOR SYSTEM_TIME AS OF o.pt AS x ON o.oid = x.oid"))
                .hasStackTraceContaining("only primary-key tables can be looked up");
    }

    /** The first {@code count} rows of a streaming query, as strings. */
    private static List<String> take(String query, int count) throws Exception {
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = streaming.executeSql(query).collect()) {
            while (rows.size() < count) {
                rows.add(it.next().toString());
            }
        }
        return rows;
    }
}
