package io.thermocline.flink.source;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.flink.LakeAccess;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.PartitionInfo;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Hands each bucket to a reader (bucket number modulo parallelism, so a bucket keeps its reader).
 * A bounded read fixes every bucket's stop offset at its high watermark when the read begins.
 * Splits travel with their offsets in the readers' checkpoints; the enumerator's state is only
 * whether it has assigned them and which partitions it has handed out. A streaming read of a
 * partitioned table (without partition filters) looks for new partitions periodically and reads
 * each new one from its first row.
 */
final class BucketSplitEnumerator implements SplitEnumerator<BucketSplit, EnumeratorState> {
    private final SplitEnumeratorContext<BucketSplit> context;
    private final ThermoclineSource source;
    private boolean assigned;
    /** The partitions whose splits are assigned (discovery skips them). */
    private final java.util.Set<Long> partitions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private boolean discovering;
    /** Splits not yet handed to their reader, by reader. */
    private final Map<Integer, List<BucketSplit>> pending = new java.util.HashMap<>();

    BucketSplitEnumerator(SplitEnumeratorContext<BucketSplit> context, ThermoclineSource source, EnumeratorState restored) {
        this.context = context;
        this.source = source;
        this.assigned = restored.assigned();
        this.partitions.addAll(restored.partitions());
    }

    @Override
    public void start() {
        if (!assigned) {
            context.callAsync(this::plan, this::assign);
        } else {
            startDiscovery(); // restored: the readers hold the splits
        }
    }

    private void assign(List<BucketSplit> splits, Throwable error) {
        if (error != null) {
            throw new IllegalStateException("Cannot plan the read of " + source.path + ": " + error.getMessage(), error);
        }
        int readers = context.currentParallelism();
        for (BucketSplit split : splits) {
            pending.computeIfAbsent(split.bucket % readers, r -> new ArrayList<>()).add(split);
            if (!split.isLake()) {
                partitions.add(split.partitionId);
            }
        }
        assigned = true;
        context.registeredReaders().keySet().forEach(this::handOut);
        startDiscovery();
    }

    /** Streaming reads of partitioned tables without partition filters pick up new partitions. */
    private void startDiscovery() {
        if (mayDiscover() && !discovering) {
            discovering = true;
            context.callAsync(this::discover, this::assign, source.discoveryIntervalMs, source.discoveryIntervalMs);
        }
    }

    /** Splits of the partitions created since the last look, each read from its first row. */
    private List<BucketSplit> discover() {
        java.util.Set<Long> known = java.util.Set.copyOf(partitions);
        try (Connection connection = ConnectionFactory.create(new Configuration(source.clientOptions))) {
            Admin admin = connection.admin();
            TableInfo info = admin.getTable(source.path).join();
            List<BucketSplit> splits = new ArrayList<>();
            for (PartitionInfo partition : admin.listPartitions(source.path).join()) {
                if (!known.contains(partition.partitionId())) {
                    splits.addAll(hotSplits(admin, info, partition.partitionId(), OffsetSpec.earliest(), null));
                }
            }
            return splits;
        }
    }

    /** Gives a registered reader its pending splits; a read that may discover more never ends its readers. */
    private void handOut(int reader) {
        List<BucketSplit> splits = pending.remove(reader);
        if (splits != null) {
            splits.forEach(split -> context.assignSplit(split, reader));
        }
        if (!mayDiscover()) {
            context.signalNoMoreSplits(reader);
        }
    }

    private boolean mayDiscover() {
        return !source.bounded && source.partitions == null && !partitions.contains(TableBucket.NO_PARTITION);
    }

    private List<BucketSplit> plan() {
        TablePath path = source.path;
        if (source.commitTimes != null && source.commitTimes.isEmpty()) {
            return List.of(); // no commit time can match
        }
        try (Connection connection = ConnectionFactory.create(new Configuration(source.clientOptions))) {
            Admin admin = connection.admin();
            TableInfo info = admin.getTable(path).join();
            List<Long> partitions = !info.isPartitioned() ? List.of(TableBucket.NO_PARTITION)
                    : source.partitions != null ? source.partitions
                    : admin.listPartitions(path).join().stream().map(PartitionInfo::partitionId).collect(Collectors.toList());
            List<BucketSplit> splits = new ArrayList<>();
            // A full read of a lake-enabled table is a union read: the newest lake snapshot, then each
            // bucket's hot rows from the offset that snapshot ends at. The changelog view reads the log only.
            LakeSnapshot lake = source.startupMode == StartupMode.FULL && !source.changelogView
                    && new Configuration(info.options()).get(TableOptions.DATALAKE_ENABLED)
                    ? admin.getLakeSnapshot(path).join().orElse(null) : null;
            if (lake != null) { // lake splits first: a bucket's reader reads its lake rows before its hot ones
                // Lake rows are read with the lake's options, which only a reader that may READ the table gets.
                LakeAccess.optionsFor(admin, path, Map.of());
                java.util.Set<Integer> skipped = bucketsLakeCannotMatch(admin, info, lake);
                for (int bucket = 0; bucket < info.bucketCount(); bucket++) {
                    if (!skipped.contains(bucket)) {
                        splits.add(BucketSplit.lake(lake.snapshotId(), bucket));
                    }
                }
            }
            for (long partition : partitions) {
                splits.addAll(hotSplits(admin, info, partition, startSpec(), lake));
            }
            return splits;
        }
    }

    /**
     * The buckets whose lake rows all precede the read's commit times: the first hot offset
     * committed at or after them is at or past the lake's end, and the log still starts where the
     * bucket began or before that offset (so no deleted row could say otherwise). Partitioned
     * tables keep their lake splits, which span partitions; Iceberg still prunes their files.
     */
    private java.util.Set<Integer> bucketsLakeCannotMatch(Admin admin, TableInfo info, LakeSnapshot lake) {
        CommitTimeRange times = source.commitTimes;
        if (times == null || times.from() == null || info.isPartitioned()) {
            return java.util.Set.of();
        }
        List<Integer> buckets = IntStream.range(0, info.bucketCount()).boxed().collect(Collectors.toList());
        Map<Integer, Long> first = offsetAt(admin, TableBucket.NO_PARTITION, buckets, times.from());
        Map<Integer, Long> earliest = admin.listOffsets(source.path, TableBucket.NO_PARTITION, buckets,
                OffsetSpec.earliest()).join();
        java.util.Set<Integer> skipped = new java.util.HashSet<>();
        for (int bucket : buckets) {
            long lakeEnd = lake.endOffset(new TableBucket(info.tableId(), TableBucket.NO_PARTITION, bucket));
            if (first.get(bucket) >= lakeEnd && (first.get(bucket) > earliest.get(bucket) || earliest.get(bucket) == 0)) {
                skipped.add(bucket);
            }
        }
        return skipped;
    }

    /** Per bucket, the first offset committed at or after {@code time}; the end offset when none is yet. */
    private Map<Integer, Long> offsetAt(Admin admin, long partition, List<Integer> buckets, long time) {
        Map<Integer, Long> offsets = new java.util.HashMap<>(admin.listOffsets(source.path, partition, buckets,
                OffsetSpec.timestamp(time)).join());
        Map<Integer, Long> ends = null;
        for (int bucket : buckets) {
            if (offsets.get(bucket) < 0) {
                ends = ends != null ? ends : admin.listOffsets(source.path, partition, buckets, OffsetSpec.latest()).join();
                offsets.put(bucket, ends.get(bucket));
            }
        }
        return offsets;
    }

    /**
     * The hot splits of a partition's buckets: from the lake's end offsets when it is read first,
     * else from concrete offsets of {@code start} (so that a restore before the first row re-reads
     * nothing and skips nothing); bounded reads stop at the high watermarks of now. A commit-time
     * range moves the start to its first row; a bounded read of a log table also stops at its end,
     * and a bucket left with nothing to read gets no split (a primary-key table reads its changes to
     * the end: a later change decides whether a key's row still matches).
     */
    private List<BucketSplit> hotSplits(Admin admin, TableInfo info, long partition, OffsetSpec start,
            LakeSnapshot lake) {
        List<Integer> buckets = IntStream.range(0, info.bucketCount()).boxed().collect(Collectors.toList());
        Map<Integer, Long> starts = lake != null ? null
                : admin.listOffsets(source.path, partition, buckets, start).join();
        Map<Integer, Long> stops = source.bounded
                ? admin.listOffsets(source.path, partition, buckets, OffsetSpec.latest()).join() : null;
        CommitTimeRange times = source.commitTimes;
        Map<Integer, Long> firstInRange = times != null && times.from() != null
                ? offsetAt(admin, partition, buckets, times.from()) : null;
        Map<Integer, Long> firstAfterRange = times != null && times.until() != null && source.bounded
                && source.primaryKey == null ? offsetAt(admin, partition, buckets, times.until()) : null;
        List<BucketSplit> splits = new ArrayList<>();
        for (int bucket : buckets) {
            long from = lake != null ? lake.endOffset(new TableBucket(info.tableId(), partition, bucket))
                    : starts.get(bucket);
            long stop = stops != null ? stops.get(bucket) : BucketSplit.NO_STOP;
            if (firstInRange != null) {
                from = Math.max(from, firstInRange.get(bucket));
            }
            if (firstAfterRange != null) {
                stop = Math.min(stop, firstAfterRange.get(bucket));
            }
            if (stop != BucketSplit.NO_STOP && from >= stop && times != null) {
                continue; // the range leaves nothing of this bucket's hot rows
            }
            splits.add(new BucketSplit(partition, bucket, from, stop));
        }
        return splits;
    }

    private OffsetSpec startSpec() {
        switch (source.startupMode) {
            case LATEST:
                return OffsetSpec.latest();
            case TIMESTAMP:
                return OffsetSpec.timestamp(source.startupTimestamp);
            default:
                return OffsetSpec.earliest();
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // splits are pushed at start
    }

    @Override
    public void addSplitsBack(List<BucketSplit> splits, int subtaskId) {
        // A reader failed before a checkpoint held its splits: they go back to it when it returns.
        pending.computeIfAbsent(subtaskId, r -> new ArrayList<>()).addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {
        if (assigned) {
            handOut(subtaskId);
        }
    }

    @Override
    public EnumeratorState snapshotState(long checkpointId) {
        return new EnumeratorState(assigned, java.util.Set.copyOf(partitions));
    }

    @Override
    public void close() {}
}
