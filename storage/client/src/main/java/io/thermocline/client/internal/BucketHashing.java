package io.thermocline.client.internal;

import io.thermocline.common.row.InternalRow;

/**
 * The bucket of a row from its bucket-key columns: one function for writers and lookupers, so a
 * key is looked up where it was written. Interim hash; the tiering issue aligns it with Iceberg's
 * bucket transform.
 */
final class BucketHashing {
    private BucketHashing() {}

    static int bucketOf(InternalRow row, InternalRow.FieldGetter[] bucketKeyGetters, int bucketCount) {
        int hash = 1;
        for (InternalRow.FieldGetter getter : bucketKeyGetters) {
            Object value = getter.get(row);
            hash = 31 * hash + (value == null ? 0 : value.hashCode());
        }
        return Math.floorMod(hash, bucketCount);
    }
}
