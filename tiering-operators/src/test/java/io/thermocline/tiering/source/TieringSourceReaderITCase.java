package io.thermocline.tiering.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TableDescriptor;
import io.thermocline.common.exception.LakeException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;
import io.thermocline.server.testutils.TestCluster;
import io.thermocline.tiering.TieringOptions;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The tiering source's reader against a real cluster: a split reads its bucket to the end it was
 * given, and a split whose end the bucket never reaches (its log truncated below it, or no leader)
 * fails after {@code tiering.read-stall-timeout} instead of holding its round forever. The reader
 * context and output are stand-ins for Flink's task, the boundary of this unit.
 */
// Without the stall timeout a split whose end never comes reads forever: fail instead of hanging CI.
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TieringSourceReaderITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1).build();

    private static final TablePath PATH = TablePath.of("tiering", "stall");
    private static final int ROWS = 10;
    private static long tableId;

    @BeforeAll
    static void writeRows() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.clientConf())) {
            connection.admin().createDatabase("tiering", null, true).get();
            tableId = connection.admin().createTable(PATH, TableDescriptor.builder(Schema.builder()
                    .column("id", DataTypes.BIGINT().notNull()).column("v", DataTypes.STRING()).build()).buckets(1)
                    .build(), false).get();
            try (AppendWriter writer = connection.table(PATH).newAppendWriter()) {
                for (long id = 0; id < ROWS; id++) {
                    writer.append(GenericRow.of(id, BinaryString.fromString("v" + id)));
                }
                writer.flush();
            }
        }
    }

    @Test
    void aSplitReadsToItsEndThenMarksIt() throws Exception {
        List<TieringRecord> out = new ArrayList<>();
        try (TieringSourceReader reader = reader()) {
            reader.addSplits(List.of(split(ROWS)));
            while (out.stream().noneMatch(TieringRecord::isEnd)) {
                reader.pollNext(new Output(out));
            }
        }
        assertThat(out.get(0).from).isZero();
        assertThat(out).last().satisfies(end -> assertThat(end.to).isEqualTo(ROWS));
    }

    @Test
    void aSplitWhoseEndNeverComesFailsAfterTheStallTimeoutNamingTheBucketAndOffsets() throws Exception {
        List<TieringRecord> out = new ArrayList<>();
        try (TieringSourceReader reader = reader()) {
            reader.addSplits(List.of(split(ROWS + 5)));
            assertThatThrownBy(() -> {
                while (true) {
                    reader.pollNext(new Output(out));
                }
            }).isInstanceOf(LakeException.class).hasMessageContaining(PATH.toString()).hasMessageContaining("bucket 0")
                    .hasMessageContaining("no rows past offset " + ROWS).hasMessageContaining("end " + (ROWS + 5))
                    .hasMessageContaining("tiering.read-stall-timeout");
        }
        assertThat(out).as("the rows that exist were handed on").isNotEmpty().noneMatch(TieringRecord::isEnd);
    }

    private static TieringSplit split(long endOffset) {
        RoundInfo round = new RoundInfo(tableId, PATH.database(), PATH.table(), 1, 1, "", false, false);
        return new TieringSplit(round, TableBucket.NO_PARTITION, 0, 0, endOffset);
    }

    private static TieringSourceReader reader() {
        TieringSourceReader reader = new TieringSourceReader(new Context(), Map.of("bootstrap.servers",
                CLUSTER.bootstrapServers(), TieringOptions.READ_STALL_TIMEOUT.key(), "1 s"));
        reader.start();
        return reader;
    }

    /** Flink's reader context, as far as the reader uses it: split requests go nowhere. */
    private static final class Context implements SourceReaderContext {
        @Override
        public SourceReaderMetricGroup metricGroup() {
            return UnregisteredMetricsGroup.createSourceReaderMetricGroup();
        }

        @Override
        public Configuration getConfiguration() {
            return new Configuration();
        }

        @Override
        public String getLocalHostName() {
            return "localhost";
        }

        @Override
        public int getIndexOfSubtask() {
            return 0;
        }

        @Override
        public void sendSplitRequest() {}

        @Override
        public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {}

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
        }
    }

    /** Collects what the reader emits. */
    private record Output(List<TieringRecord> records) implements ReaderOutput<TieringRecord> {
        @Override
        public void collect(TieringRecord record) {
            records.add(record);
        }

        @Override
        public void collect(TieringRecord record, long timestamp) {
            records.add(record);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        public void markActive() {}

        @Override
        public SourceOutput<TieringRecord> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}
