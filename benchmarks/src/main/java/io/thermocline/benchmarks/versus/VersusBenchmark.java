package io.thermocline.benchmarks.versus;

import io.thermocline.benchmarks.peers.DriverResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Thermocline side by side with Apache Kafka, Apache Fluss, Redis and Iceberg's Flink sink on this
 * machine, in one run: each system is started in processes of its own, driven by a driver JVM of
 * its own client with the same rows, and measured several times; the report gives medians and
 * Thermocline's ratio to each peer. Lake cases are read back from each system's Iceberg table by
 * {@link LakeVisibility}, the same code for all.
 *
 * <p>{@code VersusBenchmark PEERS_CLASSPATH_FILE PEERS_LAKE_CLASSPATH_FILE RESULTS_DIR [--smoke]
 * [--only SCENARIO,...]} ({@code benchmarks/run.sh}): the smoke mode uses one node, one run and
 * tiny data, to keep the harness working (CI); {@code --only} runs the cases of some scenarios.
 */
public final class VersusBenchmark {
    private VersusBenchmark() {}

    /** One measurement: the driver's scenario, the case's name and the driver's arguments; runs 0: the default. */
    record Case(String scenario, String label, List<String> args, int runs) {
        Case(String scenario, String label, List<String> args) {
            this(scenario, label, args, 0);
        }

        boolean lake() {
            return scenario.equals("lake") || scenario.equals("union-read");
        }
    }

    /** What a run measures; {@code name} is its report's file name (without .md) and run.sh's argument. */
    record Settings(String name, String command, boolean smoke, int nodes, int runs, List<Case> cases) {
        /** All cases, or only those of the scenarios in {@code only} (empty: all). */
        static Settings of(boolean smoke, List<String> only) {
            Settings all = of(smoke);
            List<Case> cases = all.cases().stream().filter(c -> only.isEmpty() || only.contains(c.scenario()))
                    .toList();
            if (cases.isEmpty()) {
                throw new IllegalArgumentException("no scenario " + only + "; the scenarios are append, latency,"
                        + " projection, kv, lake and union-read");
            }
            String name = only.isEmpty() ? all.name() : all.name() + "-" + String.join("-", only);
            String command = (smoke ? "smoke" : "") + (only.isEmpty() ? smoke ? "" : "all" : (smoke ? " " : "")
                    + String.join(",", only));
            return new Settings(name, command, smoke, all.nodes(), all.runs(), cases);
        }

        private static Settings of(boolean smoke) {
            List<Case> cases = new ArrayList<>();
            long rows = smoke ? 2_000 : 200_000;
            cases.add(new Case("append", "append RF 1", List.of("rows=" + rows, "rf=1")));
            if (!smoke) {
                cases.add(new Case("append", "append RF 3", List.of("rows=" + rows, "rf=3")));
            }
            for (int rate : smoke ? new int[] {500} : new int[] {1_000, 5_000}) {
                cases.add(new Case("latency", "latency at " + rate + " rows/s", List.of("rate=" + rate,
                        "seconds=" + (smoke ? 2 : 10), "rf=1")));
            }
            // More rows for the read, each run reading them several times after a warm-up pass: a pass takes
            // a fraction of a second, and the first of a JVM runs cold.
            cases.add(new Case("projection", "read 2 of 20 columns", List.of("rows=" + (smoke ? rows : 500_000),
                    "passes=" + (smoke ? 2 : 6), "rf=1")));
            cases.add(new Case("kv", "primary keys", List.of("rows=" + (smoke ? rows : 100_000),
                    "lookups=" + (smoke ? 200 : 10_000), "rf=1")));
            // The lake cases come last: the tiering jobs start before the first of them.
            cases.add(new Case("lake", "write to lake, 1 s", List.of("rows=" + (smoke ? rows : 200_000), "rate=0",
                    "freshness=1s", "rf=1")));
            for (int freshness : smoke ? new int[] {1} : new int[] {1, 10}) {
                int seconds = smoke ? 2 : 5 + 3 * freshness;
                cases.add(new Case("lake", "lake freshness, " + freshness + " s", List.of("rows=" + seconds * 1_000,
                        "rate=1000", "freshness=" + freshness + "s", "rf=1")));
            }
            // Half the rows tiered, half hot; the driver queries 3 times, so one run per system. The full run's
            // freshness keeps the next round out of the queries, so that each reads the same split.
            cases.add(new Case("union-read", "union read", List.of("rows=" + (smoke ? rows : 200_000),
                    "freshness=" + (smoke ? "5s" : "60s"), "queries=3", "rf=1"), 1));
            return new Settings(smoke ? "versus-smoke" : "versus", "", smoke, smoke ? 1 : 3, smoke ? 1 : 3, cases);
        }
    }

    public static void main(String[] args) throws Exception {
        String peersClasspath = classpath(Paths.get(args[0]), "thermocline-benchmark-peers-");
        // Fluss's lake plugin is fetched as a file beside its classpath (benchmarks/peers-lake says why).
        Path lakeClasspathFile = Paths.get(args[1]);
        String lakeClasspath = classpath(lakeClasspathFile, "thermocline-benchmark-peers-lake-")
                + java.io.File.pathSeparator
                + jar(lakeClasspathFile.resolveSibling("lake-plugin"), "fluss-lake-iceberg-");
        Path results = Paths.get(args[2]);
        boolean smoke = false;
        List<String> only = List.of();
        for (int i = 3; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--only" -> only = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("Unknown argument " + args[i] + "; usage:"
                        + " VersusBenchmark PEERS_CP_FILE PEERS_LAKE_CP_FILE RESULTS_DIR [--smoke] [--only a,b]");
            }
        }
        Settings settings = Settings.of(smoke, only);
        Path work = Files.createTempDirectory("thermocline-versus");
        int nodes = settings.nodes();
        List<Contender> contenders = new ArrayList<>(List.of(
                new Contender("Thermocline", ThermoclineSystem.SCENARIOS, dir -> ThermoclineSystem.start(dir, nodes)),
                new Contender("Kafka", KafkaSystem.SCENARIOS, dir -> KafkaSystem.start(dir, peersClasspath, nodes)),
                new Contender("Fluss", FlussSystem.SCENARIOS,
                        dir -> FlussSystem.start(dir, peersClasspath, lakeClasspath, nodes)),
                new Contender("Iceberg sink", IcebergSinkSystem.SCENARIOS, IcebergSinkSystem::start)));
        if (RedisSystem.installed()) {
            contenders.add(new Contender("Redis", RedisSystem.SCENARIOS,
                    dir -> RedisSystem.start(dir, peersClasspath)));
        } else {
            System.out.println("redis-server is not installed: Redis is left out (benchmarks/run.sh installs it)");
        }
        Map<String, Map<String, List<Map<String, Double>>>> measured = new LinkedHashMap<>();
        for (Contender contender : contenders) {
            List<Case> cases = settings.cases().stream().filter(c -> contender.scenarios().contains(c.scenario()))
                    .toList();
            if (!cases.isEmpty()) {
                Path dir = work.resolve(contender.name().toLowerCase(Locale.ROOT).replace(' ', '-'));
                measured.put(contender.name(), measure(contender, cases, settings, dir));
            }
        }
        VersusReport.write(results, settings, measured);
        System.out.println("Report: " + results.resolve(settings.name() + ".md"));
    }

    /** A system the harness compares: its name in the report, the scenarios it has, and how it starts. */
    private record Contender(String name, Set<String> scenarios, Starter starter) {}

    private interface Starter {
        SystemUnderTest start(Path dir) throws Exception;
    }

    /** Starts the system, runs its cases (the lake ones after its tiering started), stops it: runs per case label. */
    private static Map<String, List<Map<String, Double>>> measure(Contender contender, List<Case> cases,
            Settings settings, Path dir) throws Exception {
        System.out.println("Starting " + contender.name() + " (" + settings.nodes() + " nodes)...");
        Map<String, List<Map<String, Double>>> byCase = new LinkedHashMap<>();
        try (SystemUnderTest sut = contender.starter().start(dir)) {
            int tables = 0;
            for (Case c : cases) {
                if (c.lake()) {
                    sut.startTiering();
                }
                List<Map<String, Double>> runs = new ArrayList<>();
                for (int run = 0; run < (c.runs() > 0 ? c.runs() : settings.runs()); run++) {
                    runs.add(drive(sut, c, dir.resolve("driver-" + c.scenario() + "-" + run + ".log"), "t" + tables++,
                            settings.smoke() ? Duration.ofMinutes(2) : Duration.ofMinutes(10)));
                    System.out.println("  " + contender.name() + " " + c.label() + " run " + (run + 1) + ": "
                            + runs.get(runs.size() - 1));
                }
                byCase.put(c.label(), runs);
            }
        }
        return byCase;
    }

    /** A module's dependency classpath (its file) and the module's own jar beside it. */
    private static String classpath(Path classpathFile, String jarPrefix) throws Exception {
        return Files.readString(classpathFile).trim() + java.io.File.pathSeparator
                + jar(classpathFile.getParent(), jarPrefix);
    }

    private static Path jar(Path dir, String prefix) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar in " + dir
                            + "; build benchmarks/peers and benchmarks/peers-lake first"));
        }
    }

    /** Runs one driver; a driver still running after {@code timeout} fails the run with its log's tail. */
    private static Map<String, Double> drive(SystemUnderTest sut, Case c, Path log, String table, Duration timeout)
            throws Exception {
        SystemUnderTest.Driver command = sut.driver(c.scenario());
        List<String> args = new ArrayList<>(command.prefix());
        args.add(c.scenario());
        args.add("bootstrap=" + sut.bootstrap());
        args.add("table=" + table);
        args.addAll(c.args());
        ChildProcess driver = ChildProcess.start(command.classpath(), "2g", log, command.mainClass(), args);
        driver.awaitSuccess(timeout);
        Map<String, Double> result = driver.output().lines().filter(line -> line.startsWith(DriverResult.PREFIX))
                .reduce((a, b) -> b).map(DriverResult::parse)
                .orElseThrow(() -> new IllegalStateException(sut.name() + " " + c.label() + ": no result in " + log));
        if (c.scenario().equals("lake")) {
            result.putAll(LakeVisibility.measure(sut.lakeWarehouse(), table, result.get("rows").longValue(),
                    Duration.ofMinutes(5)));
        }
        return result;
    }
}
