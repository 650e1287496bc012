package io.thermocline.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.playground.demo.DemoWorkload;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The README as a new user follows it: {@code ./thermocline local} (the launcher, as typed),
 * the banner, {@code ./thermocline demo}, the guided SQL through JDBC with its answers checked
 * against the demo's workload, a second start refused, Ctrl-C (SIGTERM), and a restart that finds
 * everything again.
 */
class PlaygroundITCase {
    private static final Path ROOT = Paths.get("").toAbsolutePath().getParent();
    private static final long SEED = 42;
    private static final int ORDERS = 3_000;
    private static final String BANNER_END = "Stop with Ctrl-C.";

    @TempDir
    Path dir;

    @Test
    void theReadmeStartCommandDemoAndGuidedSqlWorkAndSurviveARestart() throws Exception {
        Path data = dir.resolve("data");
        Expected expected = Expected.replay();
        List<String> guide = guidedSql();
        assertThat(guide).anyMatch(sql -> sql.startsWith("SELECT")).anyMatch(sql -> sql.startsWith("SET"));

        // Below Linux's ephemeral range (32768..), so no client socket takes a port meanwhile; a port
        // some other process holds makes local exit with 4 at once, and the test picks others.
        int base = 0;
        List<String> start = null;
        Process local = null;
        for (int attempt = 0; local == null; attempt++) {
            base = 20_000 + ThreadLocalRandom.current().nextInt(120) * 100;
            start = List.of("./thermocline", "local", "--data-dir", data.toString(), "--port", Integer.toString(base),
                    "--gateway-port", Integer.toString(base + 99));
            local = startAndAwaitBanner(start, dir.resolve("first.out"), attempt < 4);
        }
        String bootstrap = "127.0.0.1:" + (base + 10);
        String url = "jdbc:avatica:remote:url=http://127.0.0.1:" + (base + 99) + ";serialization=protobuf";

        try {
            assertThat(Files.readString(dir.resolve("first.out"))).contains("JDBC gateway:     " + url)
                    .contains("coordinator:      " + bootstrap).contains("data directory:   " + data);

            Process second = launcher(start, dir.resolve("second.out"));
            assertThat(second.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(second.exitValue()).isEqualTo(3);
            assertThat(Files.readString(dir.resolve("second.out")).strip())
                    .startsWith("thermocline local: another Thermocline is running on the data directory")
                    .doesNotContain("\n");

            Process demo = launcher(List.of("./thermocline", "demo", "--bootstrap-servers", bootstrap, "--orders",
                    Integer.toString(ORDERS), "--rate", "5000", "--seed", Long.toString(SEED)), dir.resolve("demo.out"));
            assertThat(demo.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(demo.exitValue()).as(Files.readString(dir.resolve("demo.out"))).isZero();
            assertThat(Files.readString(dir.resolve("demo.out"))).contains("Wrote 3000 orders")
                    .containsPattern("tiering lag [\\d,]+");

            awaitAllTiered(bootstrap);
            runGuide(url, guide, expected);
            checkMetrics(base);
        } finally {
            stop(local);
        }
        // The terminal shows the banner and real errors only: none in this run (Flink's noise stays in the log file).
        assertThat(Files.readString(dir.resolve("first.out"))).contains("Stopping Thermocline...", "Stopped.")
                .doesNotContain(" ERROR ").doesNotContain("Exception");

        Process again = startAndAwaitBanner(start, dir.resolve("restart.out"), false);
        try {
            runGuide(url, guide, expected); // every row, lake snapshot and change is still there
        } finally {
            stop(again);
        }
    }

    /** The statements between the README's guided-sql markers, without comments. */
    static List<String> guidedSql() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("<!-- guided-sql");
        int end = readme.indexOf("<!-- /guided-sql -->");
        assertThat(start).as("the README's guided SQL").isNotNegative().isLessThan(end);
        String block = readme.substring(start, end).lines()
                .filter(line -> !line.startsWith("```") && !line.startsWith("<!--") && !line.startsWith("--"))
                .collect(Collectors.joining("\n"));
        return Arrays.stream(block.split(";")).map(String::strip).filter(sql -> !sql.isEmpty()).toList();
    }

    private static void runGuide(String url, List<String> guide, Expected expected) throws SQLException {
        Map<String, Consumer<List<Map<String, Object>>>> checks = expected.checks();
        try (java.sql.Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            for (String sql : guide) {
                if (!sql.startsWith("SELECT") && !sql.startsWith("EXPLAIN")) {
                    statement.execute(sql);
                    continue;
                }
                List<Map<String, Object>> rows = rows(statement, sql);
                checks.entrySet().stream().filter(check -> sql.contains(check.getKey())).findFirst()
                        .orElseThrow(() -> new AssertionError("the test has no check for the README's " + sql))
                        .getValue().accept(rows);
            }
        }
    }

    static List<Map<String, Object>> rows(Statement statement, String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** What the guided SQL must answer after the demo's {@value #ORDERS} orders, from the same workload replayed. */
    private record Expected(BigDecimal revenue, Map<Integer, GenericRow> customers, long inventoryChanges) {
        static Expected replay() {
            BigDecimal[] revenue = {BigDecimal.ZERO};
            Map<Integer, GenericRow> customers = new HashMap<>();
            long[] inventoryChanges = {0};
            DemoWorkload workload = new DemoWorkload(SEED, 0, new DemoWorkload.Sink() {
                @Override
                public void order(GenericRow order) {
                    revenue[0] = revenue[0].add(order.getDecimal(4, 10, 2));
                }

                @Override
                public void upsertCustomer(GenericRow customer) {
                    customers.put(customer.getInt(0), customer);
                }

                @Override
                public void deleteCustomer(GenericRow customer) {
                    customers.remove(customer.getInt(0));
                }

                @Override
                public void upsertInventory(GenericRow item) {
                    inventoryChanges[0]++;
                }
            });
            workload.seed();
            IntStream.range(0, ORDERS).forEach(i -> workload.next());
            return new Expected(revenue[0], customers, inventoryChanges[0]);
        }

        Map<String, Consumer<List<Map<String, Object>>>> checks() {
            Map<String, Consumer<List<Map<String, Object>>>> checks = new LinkedHashMap<>();
            checks.put("FROM demo.orders LIMIT 5", rows -> assertThat(rows).hasSize(5)
                    .allMatch(row -> "+I".equals(row.get("op")) && row.get("order_id") != null));
            checks.put("JOIN demo.inventory", rows -> assertThat(rows).hasSize(5).allMatch(row ->
                    row.get("name") != null && Arrays.asList(DemoWorkload.TIERS).contains(row.get("tier"))
                            && row.get("product") != null));
            checks.put("SUM(amount)", rows -> {
                assertThat(rows).hasSize(1);
                assertThat(((Number) rows.get(0).get("orders")).longValue()).isEqualTo(ORDERS);
                assertThat(new BigDecimal(rows.get(0).get("revenue").toString())).isEqualByComparingTo(revenue);
            });
            checks.put("GROUP BY tier", rows -> assertThat(rows.stream().collect(Collectors.toMap(
                    row -> (String) row.get("tier"), row -> ((Number) row.get("customers")).longValue())))
                    .isEqualTo(customers.values().stream().collect(Collectors.groupingBy(
                            c -> c.getString(2).toString(), Collectors.counting()))));
            checks.put("EXPLAIN SELECT * FROM demo.customers WHERE customer_id = 42", rows ->
                    assertThat(rows.get(0).values().iterator().next().toString())
                            .contains("served by the gateway without a Flink job: point lookups of 1 key (customer_id)"));
            checks.put("customer_id = 42", rows -> {
                Optional<GenericRow> customer = Optional.ofNullable(customers.get(42));
                assertThat(rows).hasSize(customer.isPresent() ? 1 : 0);
                customer.ifPresent(c -> assertThat(rows.get(0)).containsEntry("name", c.getString(1).toString())
                        .containsEntry("tier", c.getString(2).toString()).containsEntry("city", c.getString(3).toString()));
            });
            checks.put("orders$lake`", rows -> assertThat(((Number) rows.get(0).get("orders_in_lake")).longValue())
                    .isEqualTo(ORDERS));
            checks.put("$snapshots", rows -> assertThat(rows).isNotEmpty()
                    .allMatch(row -> row.get("snapshot_id") != null && row.get("committed_at") != null));
            checks.put("$changelog", rows -> assertThat(rows.stream().collect(Collectors.toMap(
                    row -> (String) row.get("_change_type"), row -> ((Number) row.get("changes")).longValue())))
                    .isEqualTo(Map.of("+I", (long) DemoWorkload.PRODUCTS, "-U", inventoryChanges - DemoWorkload.PRODUCTS,
                            "+U", inventoryChanges - DemoWorkload.PRODUCTS)));
            return checks;
        }
    }

    /** The banner's metrics endpoints: what the demo wrote, and the tiering job's work, with no lag left. */
    private static void checkMetrics(int base) throws Exception {
        List<String> servers = new ArrayList<>();
        for (int id = 0; id < 3; id++) {
            servers.add(scrape(base + 31 + id));
        }
        assertThat(sum(servers, "thermocline_written_rows_total\\{table=\"demo.orders\"\\}")).isEqualTo(ORDERS);
        assertThat(sum(servers, "thermocline_bucket_tiering_lag_records\\{[^}]*table=\"demo.orders\"\\}")).isZero();
        assertThat(sum(List.of(scrape(base + 30)), "thermocline_tablet_servers")).isEqualTo(3);
        assertThat(sum(List.of(scrape(base + 50)),
                "flink_taskmanager_job_task_operator_table_tieredRecords\\{[^}]*table=\"demo.orders\"[^}]*\\}"))
                .isEqualTo(ORDERS);
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("metrics on port " + port).isEqualTo(200);
        return response.body();
    }

    private static double sum(List<String> scrapes, String series) {
        Pattern sample = Pattern.compile("^" + series + " (\\S+)$", Pattern.MULTILINE);
        return scrapes.stream().flatMap(scrape -> sample.matcher(scrape).results())
                .mapToDouble(m -> Double.parseDouble(m.group(1))).sum();
    }

    /** Waits until the lake holds every row of the demo's tables, so that {@code $lake} answers exactly. */
    private static void awaitAllTiered(String bootstrap) throws Exception {
        try (Connection connection = ConnectionFactory.create(new Configuration(Map.of("bootstrap.servers",
                bootstrap)))) {
            Admin admin = connection.admin();
            List<Integer> buckets = List.of(0, 1, 2);
            for (String table : List.of("orders", "customers", "inventory")) {
                TablePath path = TablePath.of("demo", table);
                // what the demo shows users to run: lake maintenance on
                assertThat(admin.getTable(path).join().options()).containsEntry("table.datalake.auto-maintenance", "true");
                long hot = admin.listOffsets(path, buckets, OffsetSpec.latest()).join().values().stream()
                        .mapToLong(Long::longValue).sum();
                TestCluster.waitUntil(() -> admin.getLakeSnapshot(path).join()
                        .map(s -> s.endOffsets().values().stream().mapToLong(Long::longValue).sum()).orElse(0L) == hot,
                        Duration.ofMinutes(2), "the lake to hold all of demo." + table);
            }
        }
    }

    /** The started process, or null when a port was taken and {@code retryOnPortInUse}. */
    private static Process startAndAwaitBanner(List<String> command, Path out, boolean retryOnPortInUse)
            throws Exception {
        Process process = launcher(command, out);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5); // a first run may build
        while (!Files.readString(out).contains(BANNER_END)) {
            if (!process.isAlive() && process.exitValue() == 4 && retryOnPortInUse) {
                return null;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                fail("no banner from " + String.join(" ", command) + ":\n" + Files.readString(out));
            }
            Thread.sleep(200);
        }
        return process;
    }

    private static Process launcher(List<String> command, Path out) throws IOException {
        return new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
    }

    /** Ctrl-C as a process manager sends it: SIGTERM, then a clean stop. */
    private static void stop(Process process) throws Exception {
        process.destroy();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("thermocline local did not stop within 2 minutes of SIGTERM");
        }
    }
}
