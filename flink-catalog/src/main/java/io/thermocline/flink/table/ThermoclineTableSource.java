package io.thermocline.flink.table;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.source.ThermoclineSource;

import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.types.DataType;

import java.util.Arrays;
import java.util.Map;

/**
 * Reads a table's hot tier: the rows of a log table, the changelog of a primary-key table (as
 * Flink row kinds). In batch mode the read is bounded by the high watermarks at its start.
 * Projection is pushed to the servers, which send only the chosen columns.
 */
final class ThermoclineTableSource implements ScanTableSource, SupportsProjectionPushDown {
    private final Map<String, String> clientOptions;
    private final TablePath path;
    private final RowType rowType;
    private final boolean primaryKey;
    private final int[] primaryKeyIndexes;
    private final long startOffset;
    private final boolean bounded;
    /** A changelog view: the log's rows with their change type, offset and commit time, append-only. */
    private final boolean changelog;
    private int[] projection;

    ThermoclineTableSource(Map<String, String> clientOptions, TablePath path, RowType rowType, int[] primaryKeyIndexes,
            long startOffset, boolean bounded, boolean changelog) {
        this.clientOptions = clientOptions;
        this.path = path;
        this.rowType = rowType;
        this.primaryKeyIndexes = primaryKeyIndexes;
        this.primaryKey = primaryKeyIndexes != null;
        this.startOffset = startOffset;
        this.bounded = bounded;
        this.changelog = changelog;
    }

    /** A batch read of a primary-key table yields its current rows; a streaming one its changelog. */
    @Override
    public ChangelogMode getChangelogMode() {
        return primaryKey && !bounded && !changelog ? ChangelogMode.all() : ChangelogMode.insertOnly();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        if (changelog) {
            // Whole rows are read; the view's projection (over change type, offset, time and columns) applies after.
            return SourceProvider.of(new ThermoclineSource(clientOptions, path, startOffset, bounded, null, rowType,
                    null, new ThermoclineSource.ChangelogView(projection)));
        }
        if (bounded && primaryKey) {
            // Merging needs whole rows (the key at least); the projection applies to the merged rows.
            return SourceProvider.of(new ThermoclineSource(clientOptions, path, startOffset, true, null, rowType,
                    new ThermoclineSource.Merge(primaryKeyIndexes, projection), null));
        }
        RowType readType = projection == null ? rowType : rowType.project(projection);
        return SourceProvider.of(new ThermoclineSource(clientOptions, path, startOffset, bounded, projection, readType,
                null, null));
    }

    @Override
    public boolean supportsNestedProjection() {
        return false;
    }

    @Override
    public void applyProjection(int[][] projectedFields, DataType producedDataType) {
        projection = Arrays.stream(projectedFields).mapToInt(f -> f[0]).toArray();
    }

    @Override
    public DynamicTableSource copy() {
        ThermoclineTableSource copy = new ThermoclineTableSource(clientOptions, path, rowType, primaryKeyIndexes, startOffset,
                bounded, changelog);
        copy.projection = projection;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "Thermocline " + path + (projection == null ? "" : " project " + Arrays.toString(projection));
    }
}
