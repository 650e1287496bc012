package io.thermocline.benchmarks.chaos;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code run.sh chaos}: a cluster of OS processes (two coordinators, three tablet servers, the
 * tiering job) under writers, a streaming reader and a fault schedule, then every acknowledged row
 * and key checked against the model, in the hot tier, its changelog, the lake and a union read.
 * Writes {@code chaos.md}; exits non-zero when anything was lost, duplicated or out of order.
 *
 * <p>Usage: {@code ChaosBenchmark RESULTS_DIR [--minutes M] [--faults-per-kind N] [--rate ROWS_PER_S]
 * [--report NAME]}.
 */
public final class ChaosBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosBenchmark.class);

    /** What a run is asked to do. */
    public record Plan(Duration duration, int faultsPerKind, int rowsPerSecond, int basePort) {}

    /** What a run did: recovery times per kind of fault and the verdict's counts. */
    public record Outcome(Map<ChaosFaults.Kind, List<Long>> recoveries, Map<String, Long> counts, boolean passed,
            Duration ran) {}

    private ChaosBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path results = Paths.get(args[0]);
        Duration duration = Duration.ofMinutes(15);
        int faultsPerKind = 20;
        int rate = 2_500;
        String report = "chaos.md";
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--minutes" -> duration = Duration.ofSeconds((long) (Double.parseDouble(args[i + 1]) * 60));
                case "--faults-per-kind" -> faultsPerKind = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--report" -> report = args[i + 1];
                default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
            }
        }
        Plan plan = new Plan(duration, faultsPerKind, rate, 19480);
        Path dir = Files.createTempDirectory("thermocline-chaos");
        Outcome outcome = run(plan, dir, System.getProperty("java.class.path"));
        Files.createDirectories(results);
        Files.writeString(results.resolve(report), ChaosReport.markdown(plan, outcome));
        System.out.println(ChaosReport.markdown(plan, outcome));
        System.exit(outcome.passed() ? 0 : 1);
    }

    /** Runs the plan on a cluster under {@code dir}, its processes started on {@code classpath}. */
    public static Outcome run(Plan plan, Path dir, String classpath) throws Exception {
        long started = System.nanoTime();
        try (ChaosCluster cluster = new ChaosCluster(dir, plan.basePort(), classpath).start();
                Connection connection = ConnectionFactory.create(new Configuration()
                        .setString("bootstrap.servers", cluster.bootstrapServers()))) {
            Admin admin = connection.admin();
            TablePath eventsPath = TablePath.of("chaos", "events");
            TablePath accountsPath = TablePath.of("chaos", "accounts");
            createTables(admin, eventsPath, accountsPath);
            ChaosFaults faults = new ChaosFaults(cluster, admin, List.of(eventsPath, accountsPath));
            faults.awaitHealed();
            Table events = connection.table(eventsPath);
            Table accounts = connection.table(accountsPath);
            try (ChaosWorkload workload = new ChaosWorkload(events, accounts, plan.rowsPerSecond()).start()) {
                long end = System.nanoTime() + plan.duration().toNanos();
                int done = 0;
                while (System.nanoTime() < end || done < plan.faultsPerKind() * ChaosFaults.Kind.values().length) {
                    faults.next();
                    done++;
                    LOG.info("Chaos: {} faults done, {} rows acknowledged", done, workload.appendsAcked.get());
                }
                workload.finish(Duration.ofMinutes(3));
                ChaosVerdict verdict = ChaosVerdict.check(workload, admin, events, accounts, eventsPath, accountsPath,
                        cluster.lakeWarehouse(), cluster.bootstrapServers());
                return new Outcome(faults.recoveries(), verdict.counts(), verdict.passed(),
                        Duration.ofNanos(System.nanoTime() - started));
            }
        }
    }

    private static void createTables(Admin admin, TablePath eventsPath, TablePath accountsPath) throws Exception {
        admin.createDatabase("chaos", null, true).get();
        Map<String, String> options = Map.of("table.min-insync-replicas", "2", "table.datalake.enabled", "true",
                "table.datalake.freshness", "2 s");
        admin.createTable(eventsPath, TableDescriptor.builder(Schema.builder().column("id", DataTypes.BIGINT().notNull())
                .column("payload", DataTypes.STRING()).build()).buckets(ChaosWorkload.BUCKETS).replicationFactor(3)
                .options(options).build(), true).get();
        admin.createTable(accountsPath, TableDescriptor.builder(Schema.builder().column("id", DataTypes.INT().notNull())
                .column("balance", DataTypes.BIGINT()).primaryKey("id").build()).buckets(ChaosWorkload.BUCKETS)
                .replicationFactor(3).options(options).build(), true).get();
    }
}
