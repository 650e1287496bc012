package io.thermocline.flink.table;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.sink.ThermoclineSink;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.RowLevelModificationScanContext;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsPartitioning;
import org.apache.flink.table.connector.sink.abilities.SupportsRowLevelDelete;
import org.apache.flink.table.connector.sink.abilities.SupportsRowLevelUpdate;
import org.apache.flink.types.RowKind;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes to a table: inserts into a log table; upserts and deletes into a primary-key table. An
 * INSERT naming some columns of a primary-key table updates only those (partial update); batch
 * {@code UPDATE ... SET ... WHERE} and {@code DELETE FROM ... WHERE} on primary-key tables write the
 * updated rows and the deletes of the matching rows.
 */
final class ThermoclineTableSink implements DynamicTableSink, SupportsPartitioning, SupportsRowLevelUpdate,
        SupportsRowLevelDelete {
    private final Map<String, String> clientOptions;
    private final TablePath path;
    private final RowType rowType;
    private final int[] primaryKey;
    private final DeliveryGuarantee guarantee;

    ThermoclineTableSink(Map<String, String> clientOptions, TablePath path, RowType rowType, int[] primaryKey,
            DeliveryGuarantee guarantee) {
        this.clientOptions = clientOptions;
        this.path = path;
        this.rowType = rowType;
        this.primaryKey = primaryKey;
        this.guarantee = guarantee;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requested) {
        if (primaryKey == null) {
            return ChangelogMode.insertOnly();
        }
        return ChangelogMode.newBuilder().addContainedKind(RowKind.INSERT).addContainedKind(RowKind.UPDATE_AFTER)
                .addContainedKind(RowKind.DELETE).build();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        String[] targetColumns = null;
        if (primaryKey != null && context.getTargetColumns().isPresent()) {
            int[][] targets = context.getTargetColumns().get();
            if (targets.length < rowType.fieldCount()) {
                // Rows still carry every column; only the named ones (and the key) are written. An
                // UPDATE names the columns it sets, so it too writes only those.
                java.util.Set<Integer> columns = new java.util.TreeSet<>();
                Arrays.stream(primaryKey).forEach(columns::add);
                Arrays.stream(targets).forEach(t -> columns.add(t[0]));
                targetColumns = columns.stream().map(rowType.fieldNames()::get).toArray(String[]::new);
            }
        }
        return SinkV2Provider.of(ThermoclineSink.create(clientOptions, path, rowType, primaryKey != null, targetColumns,
                guarantee));
    }

    /** Rows carry their partition values (Flink fills a static {@code PARTITION (...)} in as constants). */
    @Override
    public void applyStaticPartition(Map<String, String> partition) {}

    @Override
    public RowLevelUpdateInfo applyRowLevelUpdate(List<Column> updatedColumns,
            RowLevelModificationScanContext context) {
        requirePrimaryKey("UPDATE");
        return new RowLevelUpdateInfo() {
            @Override
            public RowLevelUpdateMode getRowLevelUpdateMode() {
                return RowLevelUpdateMode.UPDATED_ROWS;
            }
        };
    }

    @Override
    public RowLevelDeleteInfo applyRowLevelDelete(RowLevelModificationScanContext context) {
        requirePrimaryKey("DELETE");
        return new RowLevelDeleteInfo() {
            @Override
            public RowLevelDeleteMode getRowLevelDeleteMode() {
                return RowLevelDeleteMode.DELETED_ROWS;
            }
        };
    }

    private void requirePrimaryKey(String statement) {
        if (primaryKey == null) {
            throw new ValidationException("Table " + path + " is a log table: " + statement + " needs a primary-key"
                    + " table (a log is append-only)");
        }
    }

    @Override
    public DynamicTableSink copy() {
        return new ThermoclineTableSink(clientOptions, path, rowType, primaryKey, guarantee);
    }

    @Override
    public String asSummaryString() {
        return "Thermocline " + path;
    }
}
