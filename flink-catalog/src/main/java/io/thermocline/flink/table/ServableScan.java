package io.thermocline.flink.table;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;

import java.util.List;

/**
 * A planned batch read of a log table without partitions: what a caller outside a Flink job (the
 * JDBC gateway) needs to read its rows itself.
 *
 * @param rowType the table's columns
 * @param projection the columns the read emits, in order; null for all
 * @param metadata the metadata columns ({@code RowMetadata} keys) the read emits after the columns
 */
public record ServableScan(TablePath path, RowType rowType, int[] projection, List<String> metadata) {

    /** The positions in the table of the columns the read emits. */
    public int[] emittedColumns() {
        return ServableRead.emitted(rowType, projection);
    }
}
