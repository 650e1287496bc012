package io.thermocline.playground.status;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.PartitionInfo;
import io.thermocline.client.api.ServerInfo;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code thermocline status}: the live tablet servers, and for every table its buckets with
 * leader, replicas and in-sync replicas, hot end offsets, and for lake-enabled tables the offsets
 * the lake holds and the lag behind them.
 */
public final class StatusCommand {
    private StatusCommand() {}

    public static void main(String[] args) {
        String bootstrap = args.length == 2 && args[0].equals("--bootstrap-servers") ? args[1] : "127.0.0.1:9190";
        if (args.length != 0 && args.length != 2) {
            System.err.println("Usage: thermocline status [--bootstrap-servers HOST:PORT]");
            System.exit(2);
        }
        try (Connection connection = ConnectionFactory.create(new Configuration(Map.of("bootstrap.servers",
                bootstrap)))) {
            print(connection.admin(), System.out);
        } catch (RuntimeException e) {
            System.err.println("thermocline status: cannot reach the cluster at " + bootstrap + " (" + e.getMessage()
                    + ")");
            System.exit(1);
        }
    }

    static void print(Admin admin, PrintStream out) {
        List<ServerInfo> servers = admin.listServers().join();
        out.println("Tablet servers (" + servers.size() + "): " + servers.stream()
                .map(s -> s.id() + " " + s.address()).collect(Collectors.joining(", ")));
        for (String database : admin.listDatabases().join()) {
            for (String table : admin.listTables(database).join()) {
                printTable(admin, admin.getTable(TablePath.of(database, table)).join(), out);
            }
        }
    }

    private static void printTable(Admin admin, TableInfo info, PrintStream out) {
        Configuration options = new Configuration(info.options());
        boolean lake = options.get(TableOptions.DATALAKE_ENABLED);
        out.println();
        out.println("Table " + info.path() + ": " + (info.schema().hasPrimaryKey() ? "primary key "
                + info.schema().primaryKey() : "log table") + ", " + info.bucketCount() + " buckets"
                + (info.isPartitioned() ? ", partitioned by " + info.partitionKeys() : "")
                + (lake ? ", lake every " + options.get(TableOptions.DATALAKE_FRESHNESS).toSeconds() + " s" : ""));
        Optional<LakeSnapshot> snapshot = lake ? admin.getLakeSnapshot(info.path()).join() : Optional.empty();
        if (lake) {
            out.println("  lake snapshot: " + snapshot.map(s -> Long.toString(s.snapshotId())).orElse("none yet"));
        }
        List<Integer> buckets = IntStream.range(0, info.bucketCount()).boxed().toList();
        String header = String.format("  %-22s %-7s %-12s %-12s %12s", "bucket", "leader", "replicas", "in sync",
                "hot end");
        out.println(lake ? header + String.format(" %12s %10s", "in lake", "lake lag") : header);
        if (info.isPartitioned()) {
            for (PartitionInfo partition : admin.listPartitions(info.path()).join()) {
                Map<Integer, Long> ends = admin.listOffsets(info.path(), partition.partitionId(), buckets,
                        OffsetSpec.latest()).join();
                for (TableInfo.BucketLeader leader : partition.buckets()) {
                    printBucket(out, partition.name() + "/" + leader.bucket(), leader, ends.get(leader.bucket()), lake,
                            snapshot, new TableBucket(info.tableId(), partition.partitionId(), leader.bucket()));
                }
            }
        } else {
            Map<Integer, Long> ends = admin.listOffsets(info.path(), buckets, OffsetSpec.latest()).join();
            for (TableInfo.BucketLeader leader : info.buckets()) {
                printBucket(out, Integer.toString(leader.bucket()), leader, ends.get(leader.bucket()), lake, snapshot,
                        new TableBucket(info.tableId(), leader.bucket()));
            }
        }
    }

    private static void printBucket(PrintStream out, String name, TableInfo.BucketLeader leader, long end, boolean lake,
            Optional<LakeSnapshot> snapshot, TableBucket bucket) {
        String line = String.format("  %-22s %-7s %-12s %-12s %12d", name,
                leader.leader() < 0 ? "none" : Integer.toString(leader.leader()),
                leader.replicas().toString().replace(" ", ""), leader.isr().toString().replace(" ", ""), end);
        if (lake) {
            long tiered = snapshot.map(s -> s.endOffsets().getOrDefault(bucket, 0L)).orElse(0L);
            line += String.format(" %12d %10d", tiered, Math.max(0, end - tiered));
        }
        out.println(line);
    }
}
