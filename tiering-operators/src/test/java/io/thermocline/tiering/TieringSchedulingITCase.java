package io.thermocline.tiering;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a tiering job takes due tables: all it has room for at each ask, and room freed as soon as
 * its committer ended a round. Each test gives the job one interval so long that the old
 * behaviour (one table per ask; room freed by the next heartbeat) would leave a table untiered.
 */
class TieringSchedulingITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).lake().build();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final Schema EVENTS = Schema.builder().column("id", DataTypes.BIGINT().notNull())
            .column("name", DataTypes.STRING()).build();

    static Connection connection;
    static Admin admin;

    @BeforeAll
    static void connect() throws Exception {
        connection = ConnectionFactory.create(CLUSTER.clientConf());
        admin = connection.admin();
        admin.createDatabase("sched", null, true).get();
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    @Test
    void oneAskTakesEveryDueTableTheJobHasRoomFor() throws Exception {
        List<TablePath> tables = List.of(table("a1"), table("a2"), table("a3"));
        // Due before the job starts; the job asks once at its start, then not for an hour.
        Thread.sleep(300);
        JobClient job = startJob(Map.of(TieringOptions.POLL_INTERVAL.key(), "1 h",
                TieringOptions.MAX_CONCURRENT_ROUNDS.key(), "4"));
        try {
            tables.forEach(TieringSchedulingITCase::awaitTiered);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aRoundTheCommitterEndedMakesRoomBeforeTheNextHeartbeat() throws Exception {
        List<TablePath> tables = List.of(table("b1"), table("b2"));
        // Room for one round, and heartbeats an hour apart: the second table needs the room the first one's
        // committed round leaves.
        JobClient job = startJob(Map.of(TieringOptions.MAX_CONCURRENT_ROUNDS.key(), "1",
                TieringOptions.HEARTBEAT_INTERVAL.key(), "1 h"));
        try {
            tables.forEach(TieringSchedulingITCase::awaitTiered);
        } finally {
            job.cancel().get();
        }
    }

    /** A lake-enabled table due 100 ms after its last round began, holding 10 rows. */
    private static TablePath table(String name) throws Exception {
        TablePath path = TablePath.of("sched", name);
        admin.createTable(path, TableDescriptor.builder(EVENTS).buckets(1).options(Map.of("table.datalake.enabled",
                "true", "table.datalake.freshness", "100 ms")).build(), false).join();
        try (AppendWriter writer = connection.table(path).newAppendWriter()) {
            for (long id = 0; id < 10; id++) {
                writer.append(GenericRow.of(id, BinaryString.fromString("e" + id)));
            }
            writer.flush();
        }
        return path;
    }

    private static JobClient startJob(Map<String, String> options) throws Exception {
        Map<String, String> conf = new HashMap<>(options);
        conf.put("bootstrap.servers", CLUSTER.bootstrapServers());
        conf.put("lake.catalog.warehouse", CLUSTER.lakeWarehouse().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TieringJob.of(conf).withParallelism(1).addTo(env);
        return env.executeAsync("tiering");
    }

    private static void awaitTiered(TablePath path) {
        TestCluster.waitUntil(() -> admin.getLakeSnapshot(path).join().map(LakeSnapshot::endOffsets)
                .map(ends -> ends.values().stream().mapToLong(Long::longValue).sum() == 10).orElse(false),
                Duration.ofSeconds(30), path + " tiered");
    }
}
