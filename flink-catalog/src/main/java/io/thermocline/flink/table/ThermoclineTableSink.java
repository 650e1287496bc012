package io.thermocline.flink.table;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.sink.ThermoclineSink;

import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsPartitioning;
import org.apache.flink.types.RowKind;

import java.util.Map;

/** Writes to a table: inserts into a log table; upserts and deletes into a primary-key table. */
final class ThermoclineTableSink implements DynamicTableSink, SupportsPartitioning {
    private final Map<String, String> clientOptions;
    private final TablePath path;
    private final RowType rowType;
    private final boolean primaryKey;

    ThermoclineTableSink(Map<String, String> clientOptions, TablePath path, RowType rowType, boolean primaryKey) {
        this.clientOptions = clientOptions;
        this.path = path;
        this.rowType = rowType;
        this.primaryKey = primaryKey;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requested) {
        if (!primaryKey) {
            return ChangelogMode.insertOnly();
        }
        return ChangelogMode.newBuilder().addContainedKind(RowKind.INSERT).addContainedKind(RowKind.UPDATE_AFTER)
                .addContainedKind(RowKind.DELETE).build();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        return SinkV2Provider.of(new ThermoclineSink(clientOptions, path, rowType, primaryKey));
    }

    /**
     * Rows carry their partition values (Flink fills a static {@code PARTITION (...)} clause in as
     * constants), and the servers route each row to its partition; nothing to record here.
     */
    @Override
    public void applyStaticPartition(Map<String, String> partition) {}

    @Override
    public DynamicTableSink copy() {
        return new ThermoclineTableSink(clientOptions, path, rowType, primaryKey);
    }

    @Override
    public String asSummaryString() {
        return "Thermocline " + path;
    }
}
