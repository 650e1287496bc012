package io.thermocline.tiering.source;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.TieringGateway;
import io.thermocline.common.exception.LakeException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.lake.TieredOffsets;
import io.thermocline.tiering.TieredTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Plans a round: each bucket is tiered from where its {@link TieringStart} says it ends, or from
 * its oldest row if it was never tiered, to the bucket's high watermark now, but at most
 * {@code maxOffsets} offsets (the rest is left to the next rounds, which the coordinator starts at
 * once). Buckets with nothing new get no split; rows missing between the lake and the hot tier
 * fail the round.
 */
final class RoundPlanner {
    private RoundPlanner() {}

    /** The round's splits; empty when no bucket has rows to tier. */
    static List<TieringSplit> plan(TieringGateway.Round round, TieredTable table, Admin admin, TieringStart resume,
            long maxOffsets) {
        TieredOffsets start = resume.offsets();
        List<Integer> buckets = IntStream.range(0, table.info().bucketCount()).boxed().collect(Collectors.toList());
        List<long[]> ranges = new ArrayList<>(); // partitionId, bucket, start, end
        boolean backlog = false;
        List<Long> partitionIds = table.info().isPartitioned() ? new ArrayList<>(table.partitions().keySet())
                : List.of(TableBucket.NO_PARTITION);
        for (long partitionId : partitionIds) {
            Map<Integer, Long> ends = admin.listOffsets(round.path(), partitionId, buckets, OffsetSpec.latest()).join();
            Map<Integer, Long> earliest = admin.listOffsets(round.path(), partitionId, buckets, OffsetSpec.earliest()).join();
            for (int bucket : buckets) {
                Long tiered = start.endOffsets().get(new TableBucket(round.tableId(), partitionId, bucket));
                // Never tiered (the lake was enabled on a table with data): from the oldest row kept.
                long from = tiered != null ? tiered : earliest.get(bucket);
                long highWatermark = ends.get(bucket);
                long to = Math.min(highWatermark, from + maxOffsets);
                backlog |= to < highWatermark;
                if (to <= from) {
                    continue;
                }
                if (earliest.get(bucket) > from) {
                    throw new LakeException("Table " + round.path() + " " + new TableBucket(round.tableId(), partitionId,
                            bucket) + ": the lake holds rows up to offset " + from + " but the hot tier starts at "
                            + earliest.get(bucket) + "; rows in between are lost");
                }
                ranges.add(new long[] {partitionId, bucket, from, to});
            }
        }
        RoundInfo info = new RoundInfo(round.tableId(), round.path().database(), round.path().table(), round.epoch(),
                ranges.size(), start.encodedOffsets(), resume.inLakeHistory(), backlog);
        List<TieringSplit> splits = new ArrayList<>();
        for (long[] range : ranges) {
            splits.add(new TieringSplit(info, range[0], (int) range[1], range[2], range[3]));
        }
        return splits;
    }
}
