package io.thermocline.tiering.committer;

import io.thermocline.client.api.TieringGateway;
import io.thermocline.common.exception.FencedTieringEpochException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.lake.TieredOffsets;
import io.thermocline.tiering.TieredTable;
import io.thermocline.tiering.TieringFaults;
import io.thermocline.tiering.source.RoundInfo;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;

/**
 * Commits a round to Iceberg exactly once, then reports it to the coordinator.
 *
 * <p>The snapshot records the round's epoch and every bucket's new end offset. The commit is
 * validated by Iceberg at the moment it lands (and again on each of Iceberg's own retries): the
 * newest tiered offsets in the table's history must still be those the round started from, so a
 * racing or stale job whose round overlaps one already committed fails instead of duplicating
 * rows. If the lake already holds exactly this round's offsets (committed, report lost), only the
 * report is sent.
 */
public final class LakeCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(LakeCommitter.class);

    private final TieringGateway gateway;
    private final TieringFaults faults;

    public LakeCommitter(TieringGateway gateway, TieringFaults faults) {
        this.gateway = gateway;
        this.faults = faults;
    }

    /** What became of a round. */
    public enum Outcome { COMMITTED, ALREADY_COMMITTED, CONFLICT }

    /**
     * @param ends the new end offset of every bucket tiered in this round
     * @param files the data and delete files of all its buckets
     */
    public Outcome commit(RoundInfo round, TieredTable table, Map<TableBucket, Long> ends, List<ContentFile<?>> files) {
        TieringGateway.Round gatewayRound = new TieringGateway.Round(round.tableId, round.path(), round.epoch);
        Table lake = table.lake();
        lake.refresh();
        TieredOffsets start = round.start();
        Map<TableBucket, Long> newOffsets = new TreeMap<>(start.endOffsets());
        newOffsets.putAll(ends);
        TieredOffsets next = new TieredOffsets(round.tableId, round.epoch, newOffsets);
        Optional<Map.Entry<Long, TieredOffsets>> latest = TieredOffsets.latest(lake);
        if (latest.isPresent() && latest.get().getValue().endOffsets().equals(newOffsets)) {
            LOG.info("Round {} of {} is already in the lake as snapshot {}; reporting it", round.epoch, round.path(),
                    latest.get().getKey());
            files.forEach(f -> deleteQuietly(lake, f.location()));
            report(gatewayRound, latest.get().getKey(), newOffsets, round.backlog);
            return Outcome.ALREADY_COMMITTED;
        }
        faults.at(TieringFaults.Point.BEFORE_COMMIT, round.tableId);
        boolean hasDeletes = files.stream().anyMatch(f -> f instanceof DeleteFile);
        SnapshotUpdate<?> update;
        if (hasDeletes) {
            RowDelta delta = lake.newRowDelta();
            for (ContentFile<?> file : files) {
                if (file instanceof DataFile) {
                    delta.addRows((DataFile) file);
                } else {
                    delta.addDeletes((DeleteFile) file);
                }
            }
            update = delta;
        } else {
            AppendFiles append = lake.newAppend();
            files.forEach(f -> append.appendFile((DataFile) f));
            update = append;
        }
        next.toSummary().forEach(update::set);
        update.validateWith(new NewestOffsetsAre(round.lakeHadOffsets ? start.endOffsets() : null,
                "round " + round.epoch + " of " + round.path()));
        try {
            update.commit();
        } catch (ValidationException e) {
            LOG.warn("Round {} of {} conflicts with a commit made meanwhile: {}", round.epoch, round.path(), e.getMessage());
            files.forEach(f -> deleteQuietly(lake, f.location()));
            return Outcome.CONFLICT;
        }
        Snapshot committed = lake.currentSnapshot();
        LOG.info("Round {} of {} committed lake snapshot {} with {} files", round.epoch, round.path(),
                committed.snapshotId(), files.size());
        faults.at(TieringFaults.Point.AFTER_COMMIT, round.tableId);
        report(gatewayRound, committed.snapshotId(), newOffsets, round.backlog);
        return Outcome.COMMITTED;
    }

    private void report(TieringGateway.Round round, long snapshotId, Map<TableBucket, Long> offsets, boolean backlog) {
        try {
            gateway.finish(round, snapshotId, offsets, backlog).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof FencedTieringEpochException) {
                // The lake has the snapshot; the coordinator learns of it in the table's next round.
                LOG.info("Round {} of {} ended after the coordinator moved on: {}", round.epoch(), round.path(),
                        e.getCause().getMessage());
                return;
            }
            throw e;
        }
    }

    private static void deleteQuietly(Table lake, String location) {
        try {
            lake.io().deleteFile(location);
        } catch (RuntimeException e) {
            LOG.debug("Could not delete orphan {}: {}", location, e.toString());
        }
    }
}
