package io.thermocline.flink.sink;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.StagedBatches;
import io.thermocline.client.api.StagedWriter;
import io.thermocline.common.row.GenericRow;
import io.thermocline.flink.RowConverter;

import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.table.data.RowData;

import java.util.Collection;
import java.util.List;

/**
 * Writes rows exactly once across Flink failures: the rows of a checkpoint are staged into sealed
 * batches (with a writer id and per-bucket sequences) that travel in the checkpoint, and appended
 * only when it completes. A restored job commits its pending batches again; the servers recognise
 * those already appended, and rows written after the last checkpoint were never appended, so
 * nothing shows twice, in a log table or in a primary-key table's changelog. Rows become visible
 * at checkpoints.
 */
public final class ExactlyOnceSink implements Sink<RowData>, SupportsCommitter<StagedBatches> {
    private static final long serialVersionUID = 1L;

    private final SinkTable target;

    ExactlyOnceSink(SinkTable target) {
        this.target = target;
    }

    @Override
    public SinkWriter<RowData> createWriter(WriterInitContext context) {
        return new Writer();
    }

    @Override
    public Committer<StagedBatches> createCommitter(CommitterInitContext context) {
        return new BatchCommitter();
    }

    @Override
    public SimpleVersionedSerializer<StagedBatches> getCommittableSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(StagedBatches batches) {
                return batches.toBytes();
            }

            @Override
            public StagedBatches deserialize(int version, byte[] serialized) {
                return StagedBatches.fromBytes(serialized);
            }
        };
    }

    private StagedWriter newStagedWriter(Connection connection) {
        return target.targetColumns() == null ? connection.table(target.path()).newStagedWriter()
                : connection.table(target.path()).newStagedWriter(target.targetColumns());
    }

    /** Stages each checkpoint's rows; Flink keeps them in the checkpoint until the committer appends them. */
    private final class Writer implements CommittingSinkWriter<RowData, StagedBatches>, SinkTable.Writes {
        private final Connection connection = target.connect();
        private final StagedWriter writer = newStagedWriter(connection);
        private final RowConverter converter = new RowConverter(target.rowType());

        @Override
        public void write(RowData row, Context context) {
            target.route(row, converter, this);
        }

        @Override
        public void write(GenericRow row) {
            writer.write(row);
        }

        @Override
        public void delete(GenericRow row) {
            writer.delete(row);
        }

        @Override
        public void flush(boolean endOfInput) {
            // Nothing leaves before its checkpoint: prepareCommit stages, the committer appends.
        }

        @Override
        public Collection<StagedBatches> prepareCommit() {
            StagedBatches staged = writer.stage();
            return staged.isEmpty() ? List.of() : List.of(staged);
        }

        @Override
        public void close() {
            writer.close();
            connection.close();
        }
    }

    /** Appends staged batches of completed checkpoints, in order; a second commit appends nothing twice. */
    private final class BatchCommitter implements Committer<StagedBatches> {
        private Connection connection;
        private StagedWriter committer;

        @Override
        public void commit(Collection<CommitRequest<StagedBatches>> requests) {
            if (connection == null) {
                connection = target.connect();
                committer = newStagedWriter(connection);
            }
            for (CommitRequest<StagedBatches> request : requests) {
                try {
                    committer.commit(request.getCommittable()).join();
                } catch (RuntimeException e) {
                    request.signalFailedWithUnknownReason(e);
                }
            }
        }

        @Override
        public void close() {
            if (committer != null) {
                committer.close();
                connection.close();
            }
        }
    }
}
