package io.thermocline.playground.operations;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.PartitionInfo;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code thermocline elect-leaders}, {@code reassign} and {@code drain}: an operator's moves of
 * leaderships and replicas, through the admin API. Moves wait until they are done (every target
 * replica in sync, the old ones dropped), printing what is left, unless {@code --no-wait}.
 *
 * <pre>
 * elect-leaders
 * reassign DB.TABLE [--partition NAME] BUCKET SERVER,SERVER,...
 * drain SERVER
 * client options: --bootstrap-servers HOST:PORT, --conf KEY=VALUE, --no-wait, --timeout SECONDS
 * </pre>
 */
public final class OperationsCommand {
    private static final Duration POLL = Duration.ofMillis(500);

    private OperationsCommand() {}

    /** What a command line asked for. */
    record Request(List<String> words, String partition, boolean untilDone, Duration timeout) {}

    public static void main(String[] args) {
        List<String> words = new ArrayList<>();
        Map<String, String> conf = new HashMap<>();
        conf.put("bootstrap.servers", "127.0.0.1:9190");
        String partition = null;
        boolean untilDone = true;
        Duration timeout = Duration.ofMinutes(30);
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--bootstrap-servers" -> conf.put("bootstrap.servers", value(args, ++i));
                    case "--partition" -> partition = value(args, ++i);
                    case "--no-wait" -> untilDone = false;
                    case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
                    case "--conf" -> {
                        String pair = value(args, ++i);
                        int eq = pair.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--conf takes KEY=VALUE, got " + pair);
                        }
                        conf.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                    default -> words.add(args[i]);
                }
            }
            if (words.isEmpty()) {
                throw new IllegalArgumentException("say what to do");
            }
            try (Connection connection = ConnectionFactory.create(new Configuration(conf))) {
                run(new Request(words, partition, untilDone, timeout), connection.admin(), System.out);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("thermocline: " + e.getMessage() + "\nUsage: thermocline elect-leaders"
                    + "\n       thermocline reassign DB.TABLE [--partition NAME] BUCKET SERVER,SERVER,..."
                    + "\n       thermocline drain SERVER"
                    + "\n       options: --bootstrap-servers HOST:PORT --conf KEY=VALUE --no-wait --timeout SECONDS");
            System.exit(64);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("thermocline: " + cause.getMessage());
            System.exit(1);
        }
    }

    static void run(Request request, Admin admin, PrintStream out) throws Exception {
        List<String> words = request.words();
        switch (words.get(0)) {
            case "elect-leaders" -> out.println("Moved " + admin.electPreferredLeaders().get()
                    + " leaderships back to their preferred replicas.");
            case "reassign" -> {
                if (words.size() != 4) {
                    throw new IllegalArgumentException("reassign takes DB.TABLE BUCKET SERVER,SERVER,...");
                }
                TablePath path = tablePath(words.get(1));
                int bucket = parseInt(words.get(2), "bucket");
                List<Integer> target = new ArrayList<>();
                for (String server : words.get(3).split(",")) {
                    target.add(parseInt(server.trim(), "server id"));
                }
                admin.reassignReplicas(path, request.partition(), bucket, target).get();
                String what = path + (request.partition() == null ? "" : " partition " + request.partition())
                        + " bucket " + bucket;
                out.println("Moving " + what + " to servers " + target + ".");
                if (request.untilDone()) {
                    awaitUntil(() -> {
                        TableInfo.BucketLeader now = bucketOf(admin, path, request.partition(), bucket);
                        return now.replicas().equals(target) && now.isr().containsAll(target) ? 0 : 1;
                    }, request.timeout(), what + " is not moved yet", out);
                    out.println("Moved " + what + ": replicas " + target + ".");
                }
            }
            case "drain" -> {
                if (words.size() != 2) {
                    throw new IllegalArgumentException("drain takes SERVER");
                }
                int server = parseInt(words.get(1), "server id");
                int moving = admin.drainServer(server).get();
                out.println("Draining tablet server " + server + ": " + moving + " buckets move off it.");
                if (request.untilDone()) {
                    awaitUntil(() -> bucketsHolding(admin, server), request.timeout(),
                            "buckets still hold a replica on server " + server, out);
                    out.println("Tablet server " + server + " holds no replica; it may be stopped for good.");
                }
            }
            default -> throw new IllegalArgumentException("unknown command '" + words.get(0) + "'");
        }
    }

    /** Buckets of every table and partition that list {@code server} among their replicas. */
    static int bucketsHolding(Admin admin, int server) throws Exception {
        int holding = 0;
        for (String database : admin.listDatabases().get()) {
            for (String table : admin.listTables(database).get()) {
                TablePath path = TablePath.of(database, table);
                for (TableInfo.BucketLeader bucket : buckets(admin, path)) {
                    holding += bucket.replicas().contains(server) ? 1 : 0;
                }
            }
        }
        return holding;
    }

    /** The buckets of a table, or of every partition of a partitioned one. */
    private static List<TableInfo.BucketLeader> buckets(Admin admin, TablePath path) throws Exception {
        TableInfo info = admin.getTable(path).get();
        if (!info.isPartitioned()) {
            return info.buckets();
        }
        List<TableInfo.BucketLeader> all = new ArrayList<>();
        for (PartitionInfo partition : admin.listPartitions(path).get()) {
            all.addAll(partition.buckets());
        }
        return all;
    }

    private static TableInfo.BucketLeader bucketOf(Admin admin, TablePath path, String partition, int bucket)
            throws Exception {
        List<TableInfo.BucketLeader> buckets = partition == null ? admin.getTable(path).get().buckets()
                : admin.listPartitions(path).get().stream().filter(p -> p.name().equals(partition)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(path + " has no partition " + partition)).buckets();
        return buckets.stream().filter(b -> b.bucket() == bucket).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(path + " has no bucket " + bucket));
    }

    /** Something still to do, counted; 0 when done. */
    @FunctionalInterface
    interface Remaining {
        int count() throws Exception;
    }

    private static void awaitUntil(Remaining remaining, Duration timeout, String what, PrintStream out)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (true) {
            int left = remaining.count();
            if (left == 0) {
                return;
            }
            if (left != last) {
                out.println("  " + left + " " + what);
                last = left;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + timeout + ": " + left + " " + what);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static TablePath tablePath(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            throw new IllegalArgumentException("a table is database.table, not '" + text + "'");
        }
        return TablePath.of(text.substring(0, dot), text.substring(dot + 1));
    }

    private static int parseInt(String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a " + what);
        }
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException("missing value after " + args[index - 1]);
        }
        return args[index];
    }
}
