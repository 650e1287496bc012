package io.thermocline.rpc.protocol;

import io.thermocline.common.metadata.TableBucket;
import io.thermocline.rpc.messages.BucketRef;

/** Converts buckets to and from their wire form. */
public final class BucketRefs {
    private BucketRefs() {}

    public static BucketRef of(TableBucket bucket) {
        BucketRef.Builder ref = BucketRef.newBuilder().setTableId(bucket.tableId()).setBucket(bucket.bucket());
        if (bucket.isPartitioned()) {
            ref.setPartitionId(bucket.partitionId());
        }
        return ref.build();
    }

    public static TableBucket toTableBucket(BucketRef ref) {
        return new TableBucket(ref.getTableId(), ref.hasPartitionId() ? ref.getPartitionId() : TableBucket.NO_PARTITION,
                ref.getBucket());
    }
}
