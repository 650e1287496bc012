package io.thermocline.benchmarks.versus;

import io.thermocline.benchmarks.peers.DriverResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thermocline side by side with Apache Kafka and Apache Fluss on this machine, in one run: each
 * system is started in JVMs of its own, driven by a driver JVM of its own client with the same
 * rows, and measured several times; the report gives medians and Thermocline's ratio to each peer.
 *
 * <p>{@code VersusBenchmark PEERS_CLASSPATH_FILE RESULTS_DIR [--smoke]}: the smoke mode uses one
 * node, one run and tiny data, to keep the harness working (CI).
 */
public final class VersusBenchmark {
    private VersusBenchmark() {}

    /** One measurement of a scenario: its name, the driver's scenario and arguments. */
    record Case(String scenario, String label, List<String> args) {}

    record Settings(int nodes, int runs, List<Case> cases) {
        static Settings of(boolean smoke) {
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
            // More rows for the read: it is several times faster than the writes, and short runs are noisy.
            cases.add(new Case("projection", "read 2 of 20 columns", List.of("rows=" + (smoke ? rows : 500_000),
                    "rf=1")));
            cases.add(new Case("kv", "primary keys", List.of("rows=" + (smoke ? rows : 100_000),
                    "lookups=" + (smoke ? 200 : 10_000), "rf=1")));
            return new Settings(smoke ? 1 : 3, smoke ? 1 : 3, cases);
        }
    }

    public static void main(String[] args) throws Exception {
        String peersClasspath = Files.readString(Paths.get(args[0])).trim() + java.io.File.pathSeparator
                + Paths.get(args[0]).resolveSibling(jarName(Paths.get(args[0])));
        Path results = Paths.get(args[1]);
        boolean smoke = args.length > 2 && args[2].equals("--smoke");
        Settings settings = Settings.of(smoke);
        Path work = Files.createTempDirectory("thermocline-versus");
        Map<String, Map<String, List<Map<String, Double>>>> measured = new LinkedHashMap<>();
        List<String> systems = new ArrayList<>(List.of("Thermocline", "Kafka", "Fluss"));
        if (RedisSystem.installed()) {
            systems.add("Redis");
        } else {
            System.out.println("redis-server is not installed: Redis is left out (run-versus.sh installs it)");
        }
        for (String system : systems) {
            Path dir = work.resolve(system.toLowerCase());
            System.out.println("Starting " + system + " (" + settings.nodes() + " nodes)...");
            try (SystemUnderTest sut = switch (system) {
                case "Thermocline" -> ThermoclineSystem.start(dir, settings.nodes());
                case "Kafka" -> KafkaSystem.start(dir, peersClasspath, settings.nodes());
                case "Fluss" -> FlussSystem.start(dir, peersClasspath, settings.nodes());
                default -> RedisSystem.start(dir, peersClasspath);
            }) {
                Map<String, List<Map<String, Double>>> bySystem = new LinkedHashMap<>();
                for (Case c : settings.cases()) {
                    if (!sut.supports(c.scenario())) {
                        continue;
                    }
                    List<Map<String, Double>> runs = new ArrayList<>();
                    for (int run = 0; run < settings.runs(); run++) {
                        runs.add(drive(sut, c, dir.resolve("driver-" + c.scenario() + "-" + run + ".log")));
                        System.out.println("  " + system + " " + c.label() + " run " + (run + 1) + ": "
                                + runs.get(runs.size() - 1));
                    }
                    bySystem.put(c.label(), runs);
                }
                measured.put(system, bySystem);
            }
        }
        VersusReport.write(results, settings, measured, smoke, String.join(" ", args));
        System.out.println("Report: " + results.resolve(smoke ? "versus-smoke.md" : "versus.md"));
    }

    private static String jarName(Path classpathFile) throws Exception {
        try (var files = Files.list(classpathFile.getParent())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("thermocline-benchmark-peers") && n.endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no peers jar beside " + classpathFile
                            + "; build benchmarks/peers first"));
        }
    }

    private static Map<String, Double> drive(SystemUnderTest sut, Case c, Path log) throws Exception {
        List<String> args = new ArrayList<>(sut.driverPrefix());
        args.add(c.scenario());
        args.add("bootstrap=" + sut.bootstrap());
        args.addAll(c.args());
        ChildProcess driver = ChildProcess.start(sut.driverClasspath(), "2g", log, sut.driverMain(), args);
        driver.awaitSuccess(Duration.ofMinutes(10));
        return driver.output().lines().filter(line -> line.startsWith(DriverResult.PREFIX)).reduce((a, b) -> b)
                .map(DriverResult::parse)
                .orElseThrow(() -> new IllegalStateException(sut.name() + " " + c.label() + ": no result in " + log));
    }
}
