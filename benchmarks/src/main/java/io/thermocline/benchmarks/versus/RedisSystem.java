package io.thermocline.benchmarks.versus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Redis for the primary-key scenario: the Debian package's {@code redis-server} (benchmarks/run.sh
 * installs it), one in-memory server without persistence or replicas, so the keys live in memory
 * only, where Thermocline and Fluss keep them in RocksDB behind a replicated log.
 */
final class RedisSystem extends PeerSystem {
    /** The scenarios it has. */
    static final Set<String> SCENARIOS = Set.of("kv");
    private static final int PORT = 19700;

    private RedisSystem(ChildProcess server, String peersClasspath) {
        super(List.of(server), peersClasspath);
    }

    /** Whether redis-server is on the PATH; the harness leaves Redis out of its report otherwise. */
    static boolean installed() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, "redis-server"))) {
                return true;
            }
        }
        return false;
    }

    static RedisSystem start(Path dir, String peersClasspath) throws Exception {
        Files.createDirectories(dir);
        ChildProcess server = ChildProcess.start(List.of("redis-server", "--port", Integer.toString(PORT),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()),
                dir.resolve("redis.log"));
        try {
            return new RedisSystem(server.awaitPort(PORT, Duration.ofSeconds(30)), peersClasspath);
        } catch (Exception e) {
            server.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "Redis";
    }

    @Override
    public String bootstrap() {
        return "127.0.0.1:" + PORT;
    }

}
