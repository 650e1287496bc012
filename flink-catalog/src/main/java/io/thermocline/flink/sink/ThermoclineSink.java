package io.thermocline.flink.sink;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.RowConverter;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.data.RowData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Writes rows to a table: appends to a log table; upserts (+I, +U) and deletes (-D) to a
 * primary-key table, whose -U rows are implied by the following +U. Every write is acknowledged
 * before a checkpoint completes, so nothing acknowledged to Flink is lost; the idempotent writer
 * drops the duplicates of its own retries. At least once: after a failure the rows since the last
 * checkpoint are written again ({@link ExactlyOnceSink} avoids that).
 */
public final class ThermoclineSink implements Sink<RowData> {
    private static final long serialVersionUID = 1L;

    private final SinkTable target;

    private ThermoclineSink(SinkTable target) {
        this.target = target;
    }

    /** The sink a delivery guarantee asks for. */
    public static Sink<RowData> create(Map<String, String> clientOptions, TablePath path, RowType rowType,
            boolean primaryKey, String[] targetColumns, DeliveryGuarantee guarantee) {
        SinkTable target = new SinkTable(clientOptions, path, rowType, primaryKey, targetColumns);
        return guarantee == DeliveryGuarantee.EXACTLY_ONCE ? new ExactlyOnceSink(target) : new ThermoclineSink(target);
    }

    /**
     * For the DataStream API: {@code ThermoclineSink.builder().bootstrapServers("host:9123")
     * .table("shop", "orders").build()}; rows are Flink {@code RowData} with the table's columns.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ThermoclineSink}; the table's columns and key are fetched from the cluster. */
    public static final class Builder {
        private final Map<String, String> clientOptions = new java.util.HashMap<>();
        private TablePath path;
        private String[] targetColumns;
        private DeliveryGuarantee guarantee = DeliveryGuarantee.AT_LEAST_ONCE;

        private Builder() {}

        public Builder bootstrapServers(String servers) {
            clientOptions.put("bootstrap.servers", servers);
            return this;
        }

        public Builder clientOptions(Map<String, String> options) {
            clientOptions.putAll(options);
            return this;
        }

        public Builder table(String database, String table) {
            this.path = TablePath.of(database, table);
            return this;
        }

        /** Writes only these columns of a primary-key table (the key among them): a partial update. */
        public Builder partialUpdate(String... columns) {
            this.targetColumns = columns;
            return this;
        }

        /**
         * AT_LEAST_ONCE (default): rows are written at once and acknowledged before each checkpoint.
         * EXACTLY_ONCE: rows are appended when their checkpoint completes, never twice.
         */
        public Builder deliveryGuarantee(DeliveryGuarantee guarantee) {
            this.guarantee = guarantee;
            return this;
        }

        public Sink<RowData> build() {
            if (!clientOptions.containsKey("bootstrap.servers") || path == null) {
                throw new IllegalArgumentException("ThermoclineSink: bootstrapServers and table are required");
            }
            try (Connection connection = ConnectionFactory.create(new Configuration(clientOptions))) {
                io.thermocline.common.schema.Schema schema = connection.admin().getTable(path).join().schema();
                if (targetColumns != null && !schema.hasPrimaryKey()) {
                    throw new IllegalArgumentException("ThermoclineSink: table " + path + " is a log table; partial"
                            + " updates need a primary-key table");
                }
                return create(clientOptions, path, schema.rowType(), schema.hasPrimaryKey(), targetColumns, guarantee);
            }
        }
    }

    @Override
    public SinkWriter<RowData> createWriter(WriterInitContext context) {
        return new Writer();
    }

    private final class Writer implements SinkWriter<RowData>, SinkTable.Writes {
        private final Connection connection = target.connect();
        private final Table table = connection.table(target.path());
        private final AppendWriter appender = target.primaryKey() ? null : table.newAppendWriter();
        private final UpsertWriter upserter = !target.primaryKey() ? null : target.targetColumns() == null
                ? table.newUpsertWriter() : table.newUpsertWriter(target.targetColumns());
        private final RowConverter converter = new RowConverter(target.rowType());
        private final List<CompletableFuture<?>> pending = new ArrayList<>();

        @Override
        public void write(RowData row, Context context) {
            target.route(row, converter, this);
            if (pending.size() >= 10_000) {
                pending.removeIf(CompletableFuture::isDone);
            }
        }

        @Override
        public void write(GenericRow row) {
            pending.add(target.primaryKey() ? upserter.upsert(row) : appender.append(row));
        }

        @Override
        public void delete(GenericRow row) {
            pending.add(upserter.delete(row));
        }

        /** Before a checkpoint (and at the end): everything written so far is acknowledged, or the job fails. */
        @Override
        public void flush(boolean endOfInput) {
            if (target.primaryKey()) {
                upserter.flush();
            } else {
                appender.flush();
            }
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).join();
            pending.clear();
        }

        @Override
        public void close() throws Exception {
            if (appender != null) {
                appender.close();
            }
            if (upserter != null) {
                upserter.close();
            }
            connection.close();
        }
    }
}
