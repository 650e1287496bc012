package io.thermocline.tiering.source;

import io.thermocline.lake.TieredOffsets;

import java.io.Serializable;

/**
 * A tiering round as every operator sees it: the table, the epoch the coordinator gave it, how
 * many buckets have rows to tier, the lake's tiered offsets when the round began, which the
 * commit must still find in the lake, and whether rows are left for a next round. A Flink POJO.
 */
public final class RoundInfo implements Serializable {
    private static final long serialVersionUID = 1L;

    public long tableId;
    public String database;
    public String table;
    public long epoch;
    public int buckets;
    /** {@link TieredOffsets#encodedOffsets()} of the lake when the round began. */
    public String startOffsets;
    /** Whether the lake had tiered offsets at all when the round began. */
    public boolean lakeHadOffsets;
    /** Whether the round stops short of rows already written (bounded by tiering.max-round-offsets). */
    public boolean backlog;

    public RoundInfo() {}

    public RoundInfo(long tableId, String database, String table, long epoch, int buckets, String startOffsets,
            boolean lakeHadOffsets, boolean backlog) {
        this.tableId = tableId;
        this.database = database;
        this.table = table;
        this.epoch = epoch;
        this.buckets = buckets;
        this.startOffsets = startOffsets;
        this.lakeHadOffsets = lakeHadOffsets;
        this.backlog = backlog;
    }

    public TieredOffsets start() {
        return TieredOffsets.decode(tableId, epoch, startOffsets);
    }

    public io.thermocline.common.metadata.TablePath path() {
        return io.thermocline.common.metadata.TablePath.of(database, table);
    }
}
