package io.thermocline.flink.lookup;

import io.thermocline.common.metadata.TablePath;

import org.apache.flink.table.api.ValidationException;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How the join keys of a lookup join reach a primary-key table: by the whole primary key (one row
 * per key), or by the bucket key when it leads the primary key (a prefix lookup: every row of the
 * bucket-key value). Join keys beyond the ones used are checked on the rows found.
 *
 * @param prefix whether this is a prefix lookup by the bucket key
 * @param keyFields for each column of the lookup key (primary key or bucket key, in order), its
 *     position in Flink's key row
 * @param joinColumns the table column of each field of Flink's key row
 */
public record LookupKeys(boolean prefix, int[] keyFields, int[] joinColumns) implements Serializable {

    /**
     * @param joinColumns the table columns Flink joins on, in the order of its key rows
     * @param primaryKey the table's primary-key columns
     * @param bucketKey the table's bucket-key columns
     */
    public static LookupKeys of(TablePath path, List<String> columns, int[] joinColumns, int[] primaryKey,
            int[] bucketKey) {
        int[] byPrimaryKey = positions(joinColumns, primaryKey);
        if (byPrimaryKey != null) {
            return new LookupKeys(false, byPrimaryKey, joinColumns);
        }
        int[] byBucketKey = positions(joinColumns, bucketKey);
        boolean bucketKeyLeads = bucketKeyLeads(bucketKey, primaryKey);
        if (byBucketKey != null && bucketKeyLeads) {
            return new LookupKeys(true, byBucketKey, joinColumns);
        }
        throw new ValidationException("Lookup join on table " + path + ": the join keys " + names(columns, joinColumns)
                + " must cover the primary key " + names(columns, primaryKey)
                + (bucketKeyLeads ? " or the bucket key " + names(columns, bucketKey) : ""));
    }

    /** Whether the bucket key is a strict prefix of the primary key: what prefix lookups need. */
    public static boolean bucketKeyLeads(int[] bucketKey, int[] primaryKey) {
        return bucketKey.length > 0 && bucketKey.length < primaryKey.length
                && Arrays.equals(bucketKey, Arrays.copyOf(primaryKey, bucketKey.length));
    }

    /** Where each of {@code wanted} is among {@code joinColumns}, or null if one is missing. */
    private static int[] positions(int[] joinColumns, int[] wanted) {
        int[] positions = new int[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            positions[i] = -1;
            for (int j = 0; j < joinColumns.length; j++) {
                if (joinColumns[j] == wanted[i]) {
                    positions[i] = j;
                }
            }
            if (positions[i] < 0) {
                return null;
            }
        }
        return positions;
    }

    private static String names(List<String> columns, int[] indexes) {
        return Arrays.stream(indexes).mapToObj(columns::get).collect(Collectors.joining(", ", "(", ")"));
    }
}
