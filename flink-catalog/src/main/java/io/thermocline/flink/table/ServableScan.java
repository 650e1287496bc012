package io.thermocline.flink.table;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;

/**
 * A planned batch read of a log table without partitions: what a caller outside a Flink job (the
 * JDBC gateway) needs to read its rows itself, from the start of each bucket.
 *
 * @param rowType the table's columns
 * @param projection the columns the read emits, in order; null for all
 */
public record ServableScan(TablePath path, RowType rowType, int[] projection) {

    /** The positions in the table of the columns the read emits. */
    public int[] emittedColumns() {
        return ServableRead.emitted(rowType, projection);
    }
}
