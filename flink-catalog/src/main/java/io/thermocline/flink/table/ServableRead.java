package io.thermocline.flink.table;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.lookup.LookupKeys;

import org.apache.flink.table.expressions.ValueLiteralExpression;

import java.util.List;
import java.util.Map;

/**
 * A planned batch read of a primary-key table's current rows that its filters narrow to keys: what
 * a caller outside a Flink job (the JDBC gateway) needs to answer it with KV lookups itself.
 *
 * @param rowType the table's columns
 * @param primaryKey the key columns' positions, in key order
 * @param bucketKey the bucket-key columns' positions
 * @param projection the columns the read emits, in order; null for all
 * @param fixedColumns the columns that one pushed filter fixes to a few values ({@code =}, {@code IN},
 *     ORs of equalities), each value a literal of the column's type, and the STRING partition columns a
 *     partition filter fixed to the partitions it left; a column two filters fix is absent
 */
public record ServableRead(TablePath path, RowType rowType, int[] primaryKey, int[] bucketKey, int[] projection,
        Map<Integer, List<ValueLiteralExpression>> fixedColumns) {

    /** The positions in the table of the columns the read emits. */
    public int[] emittedColumns() {
        return emitted(rowType, projection);
    }

    /** Whether the bucket key is a strict prefix of the primary key, so that prefix lookups can use it. */
    public boolean bucketKeyLeads() {
        return LookupKeys.bucketKeyLeads(bucketKey, primaryKey);
    }

    static int[] emitted(RowType rowType, int[] projection) {
        if (projection != null) {
            return projection.clone();
        }
        int[] all = new int[rowType.fieldCount()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }
}
