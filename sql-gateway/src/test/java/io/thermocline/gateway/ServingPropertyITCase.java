package io.thermocline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.server.testutils.TestCluster;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The fast path gives Flink's answers: random primary-key tables (one or two key columns, a
 * bucket key leading a two-column key or not, NULLs), random key lookups ({@code =}, {@code IN},
 * prefixes, keys that have no row), projections with expressions, further filters, and prepared
 * statements executed with several parameter values; and random LIMITs of log tables. Each
 * statement runs on a connection with the fast path (which must start no Flink job) and on one
 * without; the rows must be the same (for a LIMIT: as many, each one of the rows the query
 * without its LIMIT finds).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ServingPropertyITCase {
    @RegisterExtension
    @Order(1)
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).build();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final int TABLES = 4;
    private static final int STATEMENTS = 40;
    private static final int LOG_TABLES = 2;
    private static final int LIMITS = 10;

    /** A column: its SQL type and how to write a random value of it as a literal. */
    private record Column(String name, String type, java.util.function.Function<Random, String> literal) {}

    /** A table; {@code keyColumns} 0 for a log table. */
    private record Table(String name, List<Column> columns, int keyColumns, boolean bucketKeyLeads) {}

    /**
     * A statement and, when prepared, the values of its parameters per execution; {@code limit} > 0
     * for {@code SELECT ... LIMIT n} of a log table, which any n of its rows answer: without the fast
     * path it runs without the LIMIT, and the fast path's rows must be n (or all) of those.
     */
    private record Case(String sql, List<List<Object>> executions, int limit) {
        Case(String sql, List<List<Object>> executions) {
            this(sql, executions, 0);
        }
    }

    @Test
    void theFastPathAnswersAsFlinkDoes() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String context = "seed " + seed;
        try (ThermoclineGateway gateway = ThermoclineGateway.start(JdbcGatewayITCase.conf(CLUSTER, FLINK, Map.of()))) {
            String url = gateway.jdbcUrl("127.0.0.1");
            List<Table> tables = new ArrayList<>();
            List<Table> logs = new ArrayList<>();
            for (int t = 0; t < TABLES; t++) {
                tables.add(table("t" + t, random));
            }
            for (int t = 0; t < LOG_TABLES; t++) {
                logs.add(logTable("l" + t, random));
            }
            try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
                for (Table table : java.util.stream.Stream.concat(tables.stream(), logs.stream()).toList()) {
                    statement.execute(ddl(table));
                    statement.executeUpdate(insert(table, random));
                }
            }
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < STATEMENTS; i++) {
                cases.add(statement(tables.get(random.nextInt(tables.size())), random));
            }
            for (int i = 0; i < LIMITS; i++) {
                cases.add(limit(logs.get(random.nextInt(logs.size())), random));
            }
            int jobs = ServingITCase.flinkJobs(FLINK);
            List<List<String>> served = run(url, cases, true, context);
            assertThat(ServingITCase.flinkJobs(FLINK)).as("jobs started by the fast path, %s", context).isEqualTo(jobs);
            List<List<String>> flink = run(url, cases, false, context);
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                if (c.limit() == 0) {
                    assertThat(served.get(i)).as("%s: %s", context, c).isEqualTo(flink.get(i));
                } else {
                    assertThat(served.get(i)).as("%s: %s", context, c).hasSize(Math.min(c.limit(), flink.get(i).size()));
                    List<String> remaining = new ArrayList<>(flink.get(i));
                    for (String row : served.get(i)) {
                        assertThat(remaining.remove(row)).as("%s: %s returned %s", context, c, row).isTrue();
                    }
                }
            }
        }
    }

    /** Every execution's rows, sorted, in case order. */
    private static List<List<String>> run(String url, List<Case> cases, boolean fastPath, String context)
            throws SQLException {
        List<List<String>> results = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("SET 'thermocline.optimizer.fast-path' = '" + fastPath + "'");
            for (Case c : cases) {
                if (c.executions().isEmpty()) {
                    if (fastPath) {
                        assertThat(String.join("\n", ServingITCase.rows(statement, "EXPLAIN " + c.sql())))
                                .as("%s: %s", context, c.sql()).contains("served by the gateway");
                    }
                    String sql = c.limit() > 0 && !fastPath ? c.sql().substring(0, c.sql().lastIndexOf(" LIMIT "))
                            : c.sql();
                    results.add(sorted(ServingITCase.rows(statement, sql)));
                    continue;
                }
                try (PreparedStatement prepared = connection.prepareStatement(c.sql())) {
                    for (List<Object> values : c.executions()) {
                        for (int i = 0; i < values.size(); i++) {
                            prepared.setObject(i + 1, values.get(i));
                        }
                        try (ResultSet rs = prepared.executeQuery()) {
                            results.add(sorted(ServingITCase.rows(rs)));
                        }
                    }
                }
            }
        }
        return results;
    }

    private static List<String> sorted(List<String> rows) {
        List<String> copy = new ArrayList<>(rows);
        Collections.sort(copy);
        return copy;
    }

    // ------------------------------------------------------------------ random tables

    private static final List<Column> KEY_TYPES = List.of(
            new Column("", "INT", r -> Integer.toString(r.nextInt(12))),
            new Column("", "BIGINT", r -> Long.toString(r.nextInt(12))),
            new Column("", "STRING", r -> "'k" + r.nextInt(12) + "'"));

    private static final List<Column> VALUE_TYPES = List.of(
            new Column("", "INT", r -> Integer.toString(r.nextInt(100) - 50)),
            new Column("", "BIGINT", r -> Long.toString(r.nextLong() >> 20)),
            new Column("", "STRING", r -> "'s" + r.nextInt(30) + "'"),
            new Column("", "DECIMAL(10, 2)", r -> "CAST(" + (r.nextInt(100000) - 50000) / 100.0 + " AS DECIMAL(10, 2))"),
            new Column("", "BOOLEAN", r -> r.nextBoolean() ? "TRUE" : "FALSE"),
            new Column("", "DOUBLE", r -> "CAST(" + r.nextInt(1000) / 8.0 + " AS DOUBLE)"),
            new Column("", "DATE", r -> "DATE '2026-0" + (1 + r.nextInt(9)) + "-1" + r.nextInt(10) + "'"),
            new Column("", "TIMESTAMP(3)", r -> "TIMESTAMP '2026-11-2" + r.nextInt(10) + " 10:0" + r.nextInt(10)
                    + ":00.125'"));

    private static Table table(String name, Random random) {
        int keys = 1 + random.nextInt(2);
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            Column type = KEY_TYPES.get(random.nextInt(KEY_TYPES.size()));
            columns.add(new Column("k" + i, type.type(), type.literal()));
        }
        int values = 1 + random.nextInt(4);
        for (int i = 0; i < values; i++) {
            Column type = VALUE_TYPES.get(random.nextInt(VALUE_TYPES.size()));
            columns.add(new Column("c" + i, type.type(), type.literal()));
        }
        return new Table(name, columns, keys, keys == 2 && random.nextBoolean());
    }

    private static Table logTable(String name, Random random) {
        List<Column> columns = new ArrayList<>();
        int values = 1 + random.nextInt(4);
        for (int i = 0; i < values; i++) {
            Column type = VALUE_TYPES.get(random.nextInt(VALUE_TYPES.size()));
            columns.add(new Column("c" + i, type.type(), type.literal()));
        }
        return new Table(name, columns, 0, false);
    }

    private static String ddl(Table table) {
        if (table.keyColumns() == 0) {
            return "CREATE TABLE " + table.name() + " (" + table.columns().stream().map(c -> c.name() + " "
                    + c.type()).collect(Collectors.joining(", ")) + ") WITH ('bucket.num' = '3')";
        }
        String columns = table.columns().stream().map(c -> c.name() + " " + c.type()
                + (c.name().startsWith("k") ? " NOT NULL" : "")).collect(Collectors.joining(", "));
        String key = table.columns().subList(0, table.keyColumns()).stream().map(Column::name)
                .collect(Collectors.joining(", "));
        return "CREATE TABLE " + table.name() + " (" + columns + ", PRIMARY KEY (" + key + ") NOT ENFORCED) WITH ("
                + "'bucket.num' = '3'" + (table.bucketKeyLeads() ? ", 'bucket.key' = 'k0'" : "") + ")";
    }

    private static String insert(Table table, Random random) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            List<String> values = new ArrayList<>();
            for (Column column : table.columns()) {
                boolean key = column.name().startsWith("k");
                values.add(!key && random.nextInt(5) == 0 ? "CAST(NULL AS " + column.type() + ")"
                        : column.literal().apply(random));
            }
            rows.add("(" + String.join(", ", values) + ")");
        }
        return "INSERT INTO " + table.name() + " VALUES " + String.join(", ", rows);
    }

    // ------------------------------------------------------------------ random statements

    private static Case statement(Table table, Random random) {
        List<String> select = new ArrayList<>();
        for (Column column : table.columns()) {
            if (random.nextInt(3) > 0) {
                select.add(expression(column, random));
            }
        }
        if (select.isEmpty()) {
            select.add("*");
        }
        boolean prepared = random.nextInt(3) == 0;
        // Fix the whole key, or only the leading bucket key.
        int fixed = table.bucketKeyLeads() && random.nextBoolean() ? 1 : table.keyColumns();
        List<String> where = new ArrayList<>();
        List<Integer> parameterColumns = new ArrayList<>();
        for (int i = 0; i < fixed; i++) {
            Column key = table.columns().get(i);
            if (prepared && !key.type().equals("STRING")) {
                where.add(key.name() + " = ?");
                parameterColumns.add(i);
            } else if (random.nextBoolean()) {
                where.add(key.name() + " = " + key.literal().apply(random));
            } else {
                int n = 1 + random.nextInt(4);
                List<String> literals = new ArrayList<>();
                for (int j = 0; j < n; j++) {
                    literals.add(key.literal().apply(random));
                }
                where.add(key.name() + " IN (" + String.join(", ", literals) + ")");
            }
        }
        if (random.nextBoolean()) {
            Column column = table.columns().get(table.keyColumns() + random.nextInt(table.columns().size()
                    - table.keyColumns()));
            where.add(condition(column, random));
        }
        String sql = "SELECT " + String.join(", ", select) + " FROM " + table.name() + " WHERE "
                + String.join(" AND ", where);
        List<List<Object>> executions = new ArrayList<>();
        if (!parameterColumns.isEmpty()) {
            for (int e = 0; e < 4; e++) {
                List<Object> values = new ArrayList<>();
                for (int column : parameterColumns) {
                    int value = random.nextInt(12);
                    values.add(table.columns().get(column).type().equals("BIGINT") ? (Object) (long) value : value);
                }
                executions.add(values);
            }
        } else if (prepared) {
            return new Case(sql, List.of());
        }
        return new Case(sql, executions);
    }

    /** {@code SELECT ... FROM log [WHERE ...] LIMIT n}, n sometimes more than the rows that pass. */
    private static Case limit(Table table, Random random) {
        List<String> select = new ArrayList<>();
        for (Column column : table.columns()) {
            if (random.nextBoolean()) {
                select.add(expression(column, random));
            }
        }
        String sql = "SELECT " + (select.isEmpty() ? "*" : String.join(", ", select)) + " FROM " + table.name();
        if (random.nextBoolean()) {
            sql += " WHERE " + condition(table.columns().get(random.nextInt(table.columns().size())), random);
        }
        int n = 1 + random.nextInt(80);
        return new Case(sql + " LIMIT " + n, List.of(), n);
    }

    private static String expression(Column column, Random random) {
        switch (random.nextInt(4)) {
            case 0:
                return "CAST(" + column.name() + " AS STRING) AS " + column.name() + "_text";
            case 1:
                return column.type().equals("STRING") ? "UPPER(" + column.name() + ")"
                        : column.type().startsWith("INT") || column.type().startsWith("BIGINT")
                        ? column.name() + " * 2 + 1" : column.name();
            case 2:
                return "COALESCE(CAST(" + column.name() + " AS STRING), 'none')";
            default:
                return column.name();
        }
    }

    private static String condition(Column column, Random random) {
        switch (random.nextInt(3)) {
            case 0:
                return column.name() + " IS NULL";
            case 1:
                return column.name() + " IS NOT NULL";
            default:
                return column.type().startsWith("BOOLEAN") ? column.name()
                        : column.type().startsWith("STRING") ? column.name() + " LIKE 's1%'"
                        : column.name() + " > " + column.literal().apply(random);
        }
    }
}
