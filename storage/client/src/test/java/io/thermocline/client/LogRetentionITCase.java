package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Server log settings reach every bucket; a table's own TTL overrides the cluster's retention; offsets by spec. */
class LogRetentionITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1)
            .serverOption("log.segment.size", "1 kb")
            .serverOption("log.retention.check-interval", "100 ms")
            .build();

    private static final Schema SCHEMA = Schema.builder().column("id", DataTypes.BIGINT()).column("text", DataTypes.STRING())
            .build();

    static Connection connection;
    static Admin admin;

    @BeforeAll
    static void connect() throws Exception {
        connection = ConnectionFactory.create(CLUSTER.clientConf());
        admin = connection.admin();
        admin.createDatabase("ret", null, true).get();
    }

    @AfterAll
    static void close() {
        connection.close();
    }

    private static Table fill(String name, Map<String, String> options, int rows) throws Exception {
        TablePath path = TablePath.of("ret", name);
        admin.createTable(path, TableDescriptor.builder(SCHEMA).buckets(1).options(options).build(), false).get();
        Table table = connection.table(path);
        try (AppendWriter writer = table.newAppendWriter()) {
            for (long i = 0; i < rows; i++) {
                writer.append(GenericRow.of(i, "row " + i)).get(); // one batch per row: many small segments
            }
        }
        return table;
    }

    @Test
    void aTablesTtlDeletesItsOldSegmentsWhileOtherTablesKeepTheClusterRetention() throws Exception {
        Table expiring = fill("expiring", Map.of("table.log.ttl", "1 ms"), 100);
        Table kept = fill("kept", Map.of(), 100);
        TablePath expiringPath = expiring.info().path();
        TestCluster.waitUntil(() -> admin.listOffsets(expiringPath, List.of(0), OffsetSpec.earliest()).join().get(0) > 90,
                Duration.ofSeconds(20), "the expired segments of " + expiringPath + " are deleted");
        assertThat(admin.listOffsets(kept.info().path(), List.of(0), OffsetSpec.earliest()).get()).containsEntry(0, 0L);
        assertThat(admin.listOffsets(expiringPath, List.of(0), OffsetSpec.latest()).get()).containsEntry(0, 100L);

        long start = admin.listOffsets(expiringPath, List.of(0), OffsetSpec.earliest()).get().get(0);
        List<ScanRecord> rows = new ArrayList<>();
        try (LogScanner scanner = expiring.newLogScanner()) {
            scanner.subscribe(0, LogScanner.EARLIEST);
            while (rows.size() < 100 - start) {
                rows.addAll(scanner.poll(Duration.ofSeconds(5)));
            }
        }
        assertThat(rows.get(0).offset()).isEqualTo(start);
        assertThat(rows.get(rows.size() - 1).row().getLong(0)).isEqualTo(99L);
    }

    @Test
    void offsetsByTimestampAndBadBucketsAreAnswered() throws Exception {
        Table table = fill("stamped", Map.of(), 10);
        TablePath path = table.info().path();
        assertThat(admin.listOffsets(path, List.of(0), OffsetSpec.timestamp(0)).get()).containsEntry(0, 0L);
        assertThat(admin.listOffsets(path, List.of(0), OffsetSpec.timestamp(System.currentTimeMillis() + 60_000)).get())
                .containsEntry(0, -1L);
        assertThatThrownBy(() -> admin.listOffsets(path, List.of(3), OffsetSpec.latest()).get())
                .cause().isInstanceOf(InvalidRequestException.class).hasMessageContaining("ret.stamped")
                .hasMessageContaining("not 3");
    }
}
