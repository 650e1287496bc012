package io.thermocline.lake;

import io.thermocline.common.exception.LakeException;
import io.thermocline.common.metadata.TableBucket;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a lake snapshot holds of the hot tier: for every bucket, the end offset (exclusive) up to
 * which its rows are in Iceberg, with the tiering epoch of the round that committed it. Kept in
 * the snapshot summary, so the Iceberg table alone says where tiering must resume.
 *
 * <p>Encoded as {@code bucket=offset} entries ({@code partitionId/bucket=offset} for a partition's
 * buckets) separated by commas.
 */
public record TieredOffsets(long tableId, long epoch, Map<TableBucket, Long> endOffsets) {
    public static final String TABLE_ID = "thermocline.table-id";
    public static final String EPOCH = "thermocline.tiering-epoch";
    public static final String OFFSETS = "thermocline.offsets";

    public TieredOffsets {
        endOffsets = Collections.unmodifiableMap(new TreeMap<>(endOffsets));
    }

    /** Nothing tiered yet. */
    public static TieredOffsets none(long tableId) {
        return new TieredOffsets(tableId, -1, Map.of());
    }

    /** Where a bucket's next round starts. */
    public long endOffset(TableBucket bucket) {
        return endOffsets.getOrDefault(bucket, 0L);
    }

    public Map<String, String> toSummary() {
        return Map.of(TABLE_ID, Long.toString(tableId), EPOCH, Long.toString(epoch), OFFSETS, encodedOffsets());
    }

    /** The end offsets as {@code key=offset} entries separated by commas. */
    public String encodedOffsets() {
        StringBuilder encoded = new StringBuilder();
        endOffsets.forEach((bucket, offset) -> {
            if (encoded.length() > 0) {
                encoded.append(',');
            }
            encoded.append(bucketKey(bucket)).append('=').append(offset);
        });
        return encoded.toString();
    }

    /** The inverse of {@link #encodedOffsets()}. */
    public static TieredOffsets decode(long tableId, long epoch, String offsets) {
        Map<TableBucket, Long> parsed = new TreeMap<>();
        if (!offsets.isEmpty()) {
            for (String entry : offsets.split(",")) {
                int eq = entry.indexOf('=');
                parsed.put(parseBucketKey(tableId, entry.substring(0, eq)), Long.parseLong(entry.substring(eq + 1)));
            }
        }
        return new TieredOffsets(tableId, epoch, parsed);
    }

    /** A bucket's key in encoded offsets: {@code bucket}, or {@code partitionId/bucket} for a partition's bucket. */
    public static String bucketKey(TableBucket bucket) {
        return bucket.isPartitioned() ? bucket.partitionId() + "/" + bucket.bucket() : Integer.toString(bucket.bucket());
    }

    public static TableBucket parseBucketKey(long tableId, String key) {
        int slash = key.indexOf('/');
        long partitionId = slash < 0 ? TableBucket.NO_PARTITION : Long.parseLong(key.substring(0, slash));
        return new TableBucket(tableId, partitionId, Integer.parseInt(key.substring(slash + 1)));
    }

    /** The offsets a snapshot records, if a tiering round (or maintenance carrying them on) wrote it. */
    public static Optional<TieredOffsets> of(Snapshot snapshot) {
        Map<String, String> summary = snapshot.summary();
        String offsets = summary.get(OFFSETS);
        if (offsets == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(Long.parseLong(summary.get(TABLE_ID)), Long.parseLong(summary.get(EPOCH)), offsets));
        } catch (RuntimeException e) {
            throw new LakeException("Snapshot " + snapshot.snapshotId() + " has a malformed " + OFFSETS + " summary '"
                    + offsets + "': " + e);
        }
    }

    /** The offsets of the newest snapshot on the table's main branch that records any, and that snapshot's id. */
    public static Optional<Map.Entry<Long, TieredOffsets>> latest(Table table) {
        return latest(table, table.currentSnapshot());
    }

    /** The offsets of the newest snapshot that records any in the history of {@code from}, and that snapshot's id. */
    public static Optional<Map.Entry<Long, TieredOffsets>> latest(Table table, Snapshot from) {
        for (Snapshot snapshot = from; snapshot != null;
                snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId())) {
            Optional<TieredOffsets> offsets = of(snapshot);
            if (offsets.isPresent()) {
                return Optional.of(Map.entry(snapshot.snapshotId(), offsets.get()));
            }
        }
        return Optional.empty();
    }
}
