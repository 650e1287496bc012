package io.thermocline.tiering.source;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.client.api.TieringGateway;
import io.thermocline.common.exception.LakeException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.lake.LakeTableLayout;
import io.thermocline.lake.TieredOffsets;
import io.thermocline.tiering.TieredTable;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a table's tiering resumes. The lake is the truth: the newest snapshot in its history that
 * records tiered offsets (a commit whose report to the coordinator was lost still counts). When
 * that history is gone (an operator expired the snapshots after an engine's rewrite that did not
 * carry the offsets on), tiering resumes from the coordinator's record, once the lake's own rows
 * show they end before it; otherwise the table's rounds fail with an error that says what to do,
 * rather than tier its rows again from the start.
 *
 * @param offsets where each bucket resumes
 * @param snapshotId the lake snapshot that holds the rows before {@code offsets} (-1: none)
 * @param inLakeHistory whether {@code offsets} come from the lake's history (else from the coordinator)
 */
record TieringStart(TieredOffsets offsets, long snapshotId, boolean inLakeHistory) {
    private static final Logger LOG = LoggerFactory.getLogger(TieringStart.class);

    static TieringStart of(TieringGateway.Round round, TieredTable table, Admin admin) {
        Table lake = table.lake();
        Optional<Map.Entry<Long, TieredOffsets>> latest = TieredOffsets.latest(lake);
        if (latest.isPresent()) {
            return new TieringStart(latest.get().getValue(), latest.get().getKey(), true);
        }
        Snapshot current = lake.currentSnapshot();
        Map<List<Object>, Long> lakeEnds = current == null ? Map.of() : lastOffsets(lake, current);
        Optional<LakeSnapshot> recorded = admin.getLakeSnapshot(round.path()).join()
                .filter(s -> s.tableId() == round.tableId() && !s.endOffsets().isEmpty());
        if (recorded.isEmpty()) {
            if (!lakeEnds.isEmpty()) {
                throw new LakeException("Table " + round.path() + ": its lake table holds rows but neither its"
                        + " snapshot history nor the coordinator records up to which offsets they were tiered; tiering"
                        + " it again would duplicate them. Drop the lake table's rows (or the table) to tier it anew.");
            }
            return new TieringStart(TieredOffsets.none(round.tableId()), -1, false);
        }
        Map<TableBucket, Long> ends = recorded.get().endOffsets();
        Map<List<Object>, TableBucket> bucketOf = new HashMap<>();
        for (TableBucket bucket : ends.keySet()) {
            if (bucket.isPartitioned() && !table.partitions().containsKey(bucket.partitionId())) {
                continue; // a dropped partition: none of its rows are tiered any more
            }
            bucketOf.put(key(table.partitionTuple(bucket)), bucket);
        }
        for (Map.Entry<List<Object>, Long> lakeEnd : lakeEnds.entrySet()) {
            TableBucket bucket = bucketOf.get(lakeEnd.getKey());
            long recordedEnd = bucket == null ? 0 : ends.get(bucket);
            if (lakeEnd.getValue() >= recordedEnd) {
                throw new LakeException("Table " + round.path() + ": its lake snapshots no longer record tiered"
                        + " offsets, and the lake holds rows of partition " + lakeEnd.getKey() + " up to offset "
                        + lakeEnd.getValue() + ", at or past the coordinator's record (" + recordedEnd + "); tiering"
                        + " stops rather than duplicate rows. Restore the lake table's snapshot history, or drop its"
                        + " rows of that bucket to tier them anew.");
            }
        }
        LOG.warn("Table {}: the lake's snapshot history records no tiered offsets (expired?); resuming from the"
                + " coordinator's record of lake snapshot {}: {}", round.path(), recorded.get().snapshotId(), ends);
        return new TieringStart(new TieredOffsets(round.tableId(), recorded.get().tieringEpoch(), ends),
                current == null ? -1 : current.snapshotId(), false);
    }

    /** The highest offset among the data files of each lake partition (partition values, then bucket). */
    private static Map<List<Object>, Long> lastOffsets(Table lake, Snapshot snapshot) {
        int offsetField = lake.schema().findField(LakeTableLayout.OFFSET_COLUMN).fieldId();
        Map<List<Object>, Long> last = new HashMap<>();
        try (CloseableIterable<FileScanTask> tasks = lake.newScan().useSnapshot(snapshot.snapshotId()).includeColumnStats()
                .planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                ByteBuffer upper = file.upperBounds() == null ? null : file.upperBounds().get(offsetField);
                if (upper == null) {
                    throw new LakeException("Lake table " + lake.name() + ": data file " + file.location() + " has no "
                            + LakeTableLayout.OFFSET_COLUMN + " bounds, so its tiered rows cannot be checked");
                }
                long offset = Conversions.<Long>fromByteBuffer(Types.LongType.get(), upper);
                last.merge(key(file.partition()), offset, Math::max);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return last;
    }

    private static List<Object> key(StructLike partition) {
        List<Object> values = new ArrayList<>(partition.size());
        for (int i = 0; i < partition.size(); i++) {
            values.add(partition.get(i, Object.class));
        }
        return values;
    }
}
