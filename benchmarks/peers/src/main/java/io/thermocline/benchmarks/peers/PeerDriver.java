package io.thermocline.benchmarks.peers;

import java.util.HashMap;
import java.util.Map;

/**
 * A benchmark driver for a peer system in its own JVM: {@code PeerDriver kafka|fluss|redis
 * append|latency|projection|kv|lake key=value...}. It prints one {@link DriverResult} line.
 *
 * <ul>
 *   <li>{@code append}: {@code rows} rows into a new table of {@code buckets} buckets and
 *       replication {@code rf}, acks from all in-sync replicas, as fast as the client goes;
 *       reports rows/s.
 *   <li>{@code latency}: rows at {@code rate} per second for {@code seconds}, read back by a
 *       consumer in the same JVM; reports produce-to-consume p50/p99/p999 (the first second is
 *       warm-up).
 *   <li>{@code projection}: writes {@code rows} rows, then reads them all back {@code passes}
 *       times ({@link ReadRun}), 2 of the 20 columns where the system can project.
 *   <li>{@code kv}: a primary-key table ({@link KvRun}): upserts, then {@code lookups} point
 *       lookups one at a time and ten times as many 100 in flight (Fluss and Redis among the peers).
 *   <li>{@code lake}: {@link LakeRun} into a lake-enabled table of the given {@code freshness}.
 *   <li>{@code union-read}: {@link UnionReadRun}; Fluss's runs from benchmarks/peers-lake.
 * </ul>
 */
public final class PeerDriver {
    private PeerDriver() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("Usage: PeerDriver kafka|fluss|redis"
                    + " append|latency|projection|kv|lake key=value...");
        }
        Workload workload = Workload.parse(args, 2);
        DriverResult result = switch (args[0]) {
            case "kafka" -> new KafkaDriver(workload).run(args[1]);
            case "fluss" -> new FlussDriver(workload).run(args[1]);
            case "redis" -> {
                try (RedisDriver redis = new RedisDriver(workload)) {
                    yield redis.run(args[1]);
                }
            }
            default -> throw new IllegalArgumentException("Unknown system " + args[0]);
        };
        result.print();
        System.exit(0); // client threads must not keep the JVM
    }

    /** The scenario's parameters. */
    public record Workload(String bootstrap, String table, long rows, int rf, int buckets, int rate, int seconds,
            int lookups, String freshness, int queries, int passes) {
        public Workload(Map<String, String> options) {
            this(options.get("bootstrap"), options.getOrDefault("table", "bench_" + System.nanoTime()),
                    Long.parseLong(options.getOrDefault("rows", "100000")),
                    Integer.parseInt(options.getOrDefault("rf", "1")),
                    Integer.parseInt(options.getOrDefault("buckets", "3")),
                    Integer.parseInt(options.getOrDefault("rate", "5000")),
                    Integer.parseInt(options.getOrDefault("seconds", "10")),
                    Integer.parseInt(options.getOrDefault("lookups", "10000")),
                    options.getOrDefault("freshness", "1s"),
                    Integer.parseInt(options.getOrDefault("queries", "3")),
                    Integer.parseInt(options.getOrDefault("passes", "5")));
        }

        /** {@code key=value} arguments from {@code from} on. */
        public static Workload parse(String[] args, int from) {
            Map<String, String> options = new HashMap<>();
            for (int i = from; i < args.length; i++) {
                int eq = args[i].indexOf('=');
                options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
            }
            return new Workload(options);
        }
    }
}
