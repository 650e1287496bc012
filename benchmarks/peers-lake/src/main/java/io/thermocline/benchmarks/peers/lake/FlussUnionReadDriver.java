package io.thermocline.benchmarks.peers.lake;

import io.thermocline.benchmarks.peers.FlussDriver;
import io.thermocline.benchmarks.peers.PeerDriver;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.fluss.metadata.TablePath;

/**
 * Fluss's union read: {@code FlussUnionReadDriver union-read key=value...} runs the union-read scenario with
 * Fluss's Java client for the writes and Fluss's Flink connector (Flink 1.20, batch mode) for the
 * query, which reads the Iceberg snapshot and then the log after it.
 */
public final class FlussUnionReadDriver {
    private FlussUnionReadDriver() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("union-read")) {
            throw new IllegalArgumentException("Usage: FlussUnionReadDriver union-read key=value...");
        }
        PeerDriver.Workload workload = PeerDriver.Workload.parse(args, 1);
        new FlussDriver(workload, FlussUnionReadDriver::countAll).run("union-read").print();
        System.exit(0); // client and Flink threads must not keep the JVM
    }

    private static long countAll(String bootstrap, TablePath table) throws Exception {
        // A new session per query: each query pays planning and job start, as a user's would.
        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        sql.executeSql("CREATE CATALOG fluss WITH ('type' = 'fluss', 'bootstrap.servers' = '" + bootstrap + "')");
        sql.executeSql("USE CATALOG fluss");
        try (CloseableIterator<Row> rows = sql.executeSql("SELECT COUNT(*), SUM(c4) FROM `" + table.getDatabaseName()
                + "`.`" + table.getTableName() + "`").collect()) {
            return ((Number) rows.next().getField(0)).longValue();
        }
    }
}
