package io.thermocline.playground.demo;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataField;
import io.thermocline.common.types.DataTypes;

import java.util.List;
import java.util.Map;

/**
 * The demo's tables: {@code orders} (a log table), {@code customers} and {@code inventory}
 * (primary-key tables that change under the orders), all tiered to the lake every few seconds so
 * that {@code $lake} and union reads have something to show soon.
 */
final class DemoTables {
    static final int BUCKETS = 3;
    static final String LAKE_FRESHNESS = "10s";

    static final Schema ORDERS = Schema.builder()
            .column("order_id", DataTypes.BIGINT().notNull())
            .column("customer_id", DataTypes.INT().notNull())
            .column("sku", DataTypes.STRING().notNull())
            .column("quantity", DataTypes.INT().notNull())
            .column("amount", DataTypes.DECIMAL(10, 2).notNull())
            .column("order_time", DataTypes.TIMESTAMP_LTZ(3).notNull())
            .build();

    static final Schema CUSTOMERS = Schema.builder()
            .column("customer_id", DataTypes.INT())
            .column("name", DataTypes.STRING())
            .column("tier", DataTypes.STRING())
            .column("city", DataTypes.STRING())
            .column("updated_at", DataTypes.TIMESTAMP_LTZ(3))
            .primaryKey("customer_id")
            .build();

    static final Schema INVENTORY = Schema.builder()
            .column("sku", DataTypes.STRING())
            .column("product", DataTypes.STRING())
            .column("stock", DataTypes.INT())
            .column("price", DataTypes.DECIMAL(10, 2))
            .column("updated_at", DataTypes.TIMESTAMP_LTZ(3))
            .primaryKey("sku")
            .build();

    private DemoTables() {}

    static TablePath orders(String database) {
        return TablePath.of(database, "orders");
    }

    static TablePath customers(String database) {
        return TablePath.of(database, "customers");
    }

    static TablePath inventory(String database) {
        return TablePath.of(database, "inventory");
    }

    /**
     * Creates the database and the tables, or checks that tables left by an earlier run have the
     * demo's columns (a restarted demo goes on writing into them).
     */
    static void createOrCheck(Admin admin, String database) {
        admin.createDatabase(database, "Thermocline demo: orders, customers, inventory", true).join();
        createOrCheck(admin, orders(database), ORDERS);
        createOrCheck(admin, customers(database), CUSTOMERS);
        createOrCheck(admin, inventory(database), INVENTORY);
    }

    private static void createOrCheck(Admin admin, TablePath path, Schema schema) {
        TableDescriptor descriptor = TableDescriptor.builder(schema).buckets(BUCKETS)
                .options(Map.of("table.datalake.enabled", "true", "table.datalake.freshness", LAKE_FRESHNESS,
                        // what a table under constant updates needs: small files and deletes packed
                        "table.datalake.auto-maintenance", "true"))
                .build();
        admin.createTable(path, descriptor, true).join();
        TableInfo existing = admin.getTable(path).join();
        List<String> columns = existing.schema().rowType().fields().stream().map(DataField::name).toList();
        List<String> wanted = schema.rowType().fields().stream().map(DataField::name).toList();
        if (!columns.equals(wanted) || !existing.schema().primaryKey().equals(schema.primaryKey())) {
            throw new IllegalStateException("Table " + path + " exists with columns " + columns + " and primary key "
                    + existing.schema().primaryKey() + ", not the demo's " + wanted + " and " + schema.primaryKey()
                    + "; drop it or run the demo in another database (--database)");
        }
    }
}
