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
 * [--kinds KIND,...] [--report NAME]} (kinds: kill-leader, pause-leader, kill-coordinator,
 * pause-coordinator, kill-tiering; all by default), or {@code ChaosBenchmark RESULTS_DIR --tiering-torture LAKE_COMMITS [--rate ROWS_PER_S]
 * [--report NAME]}: two tiering jobs with auto-maintenance, one killed every few commits, then the
 * lake's offsets history dropped.
 */
public final class ChaosBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosBenchmark.class);

    /**
     * What a run is asked to do: run at least {@code duration}, do at least {@code faultsPerKind}
     * of each of {@code kinds}, and see at least {@code lakeCommits} lake commits of the log table,
     * at least {@code commitsBetweenFaults} of them after each fault. With {@code tieringTorture},
     * lake-enabled tables also bin-pack and expire snapshots as they tier ({@code
     * table.datalake.auto-maintenance}), and before the end an operator's commit and snapshot
     * expiry drop the lake's history of tiered offsets.
     */
    public record Plan(Duration duration, int faultsPerKind, int rowsPerSecond, int basePort, List<ChaosFaults.Kind> kinds,
            int tieringJobs, int lakeCommits, int commitsBetweenFaults, boolean tieringTorture) {

        /** Every kind of fault, one tiering job. */
        public static Plan chaos(Duration duration, int faultsPerKind, int rowsPerSecond, int basePort) {
            return new Plan(duration, faultsPerKind, rowsPerSecond, basePort, List.of(ChaosFaults.Kind.values()), 1, 0, 0,
                    false);
        }

        /** The same plan with only these kinds of fault. */
        public Plan withKinds(List<ChaosFaults.Kind> only) {
            return new Plan(duration, faultsPerKind, rowsPerSecond, basePort, List.copyOf(only), tieringJobs, lakeCommits,
                    commitsBetweenFaults, tieringTorture);
        }

        /** Two tiering jobs with auto-maintenance, one of them killed every few lake commits. */
        public static Plan tieringTorture(int lakeCommits, int rowsPerSecond, int basePort) {
            return new Plan(Duration.ZERO, 0, rowsPerSecond, basePort, List.of(ChaosFaults.Kind.KILL_TIERING), 2,
                    lakeCommits, 3, true);
        }
    }

    /** What a run did: recovery times per kind of fault, lake commits seen and the verdict's counts. */
    public record Outcome(Map<ChaosFaults.Kind, List<Long>> recoveries, long lakeCommits, Map<String, Long> counts,
            boolean passed, Duration ran) {}

    private ChaosBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path results = Paths.get(args[0]);
        Duration duration = Duration.ofMinutes(15);
        int faultsPerKind = 20;
        int rate = 2_500;
        String report = "chaos.md";
        int lakeCommits = -1;
        List<ChaosFaults.Kind> kinds = List.of(ChaosFaults.Kind.values());
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--tiering-torture" -> lakeCommits = Integer.parseInt(args[i + 1]);
                case "--minutes" -> duration = Duration.ofSeconds((long) (Double.parseDouble(args[i + 1]) * 60));
                case "--faults-per-kind" -> faultsPerKind = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--report" -> report = args[i + 1];
                case "--kinds" -> kinds = java.util.Arrays.stream(args[i + 1].split(","))
                        .map(k -> ChaosFaults.Kind.valueOf(k.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_')))
                        .toList();
                default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
            }
        }
        Plan plan = lakeCommits >= 0 ? Plan.tieringTorture(lakeCommits, rate, 19480)
                : Plan.chaos(duration, faultsPerKind, rate, 19480).withKinds(kinds);
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
        try (ChaosCluster cluster = new ChaosCluster(dir, plan.basePort(), classpath, plan.tieringJobs()).start();
                Connection connection = ConnectionFactory.create(new Configuration()
                        .setString("bootstrap.servers", cluster.bootstrapServers()))) {
            Admin admin = connection.admin();
            TablePath eventsPath = TablePath.of("chaos", "events");
            TablePath accountsPath = TablePath.of("chaos", "accounts");
            createTables(admin, eventsPath, accountsPath, plan.tieringTorture());
            ChaosFaults faults = new ChaosFaults(cluster, admin, List.of(eventsPath, accountsPath), plan.kinds());
            LakeCommits commits = new LakeCommits(admin, eventsPath);
            faults.awaitHealed();
            Table events = connection.table(eventsPath);
            Table accounts = connection.table(accountsPath);
            try (ChaosWorkload workload = new ChaosWorkload(events, accounts, plan.rowsPerSecond()).start()) {
                long end = System.nanoTime() + plan.duration().toNanos();
                int done = 0;
                while (System.nanoTime() < end || done < plan.faultsPerKind() * plan.kinds().size()
                        || commits.seen() < plan.lakeCommits()) {
                    faults.next();
                    done++;
                    commits.awaitMore(plan.commitsBetweenFaults());
                    LOG.info("Chaos: {} faults done, {} rows acknowledged, {} lake commits", done,
                            workload.appendsAcked.get(), commits.seen());
                }
                if (plan.tieringTorture()) {
                    LakeHistory.dropOffsets(cluster.lakeWarehouse(), List.of(eventsPath, accountsPath));
                    commits.awaitMore(5); // tiering goes on from the coordinator's record
                }
                workload.finish(Duration.ofMinutes(3));
                ChaosVerdict verdict = ChaosVerdict.check(workload, admin, events, accounts, eventsPath, accountsPath,
                        cluster.lakeWarehouse(), cluster.bootstrapServers());
                return new Outcome(faults.recoveries(), commits.seen(), verdict.counts(), verdict.passed(),
                        Duration.ofNanos(System.nanoTime() - started));
            }
        }
    }

    private static void createTables(Admin admin, TablePath eventsPath, TablePath accountsPath, boolean maintenance)
            throws Exception {
        admin.createDatabase("chaos", null, true).get();
        Map<String, String> options = Map.of("table.min-insync-replicas", "2", "table.datalake.enabled", "true",
                "table.datalake.freshness", "2 s", "table.datalake.auto-maintenance", String.valueOf(maintenance));
        admin.createTable(eventsPath, TableDescriptor.builder(Schema.builder().column("id", DataTypes.BIGINT().notNull())
                .column("payload", DataTypes.STRING()).build()).buckets(ChaosWorkload.BUCKETS).replicationFactor(3)
                .options(options).build(), true).get();
        admin.createTable(accountsPath, TableDescriptor.builder(Schema.builder().column("id", DataTypes.INT().notNull())
                .column("balance", DataTypes.BIGINT()).primaryKey("id").build()).buckets(ChaosWorkload.BUCKETS)
                .replicationFactor(3).options(options).build(), true).get();
    }
}
