package io.thermocline.tiering.source;

import io.thermocline.lake.TieredOffsets;

import java.io.Serializable;

/**
 * A tiering round as every operator sees it: the table, the epoch the coordinator gave it, how
 * many buckets have rows to tier, and the lake's tiered offsets when the round began, which the
 * commit must still find in the lake. A Flink POJO.
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

    public RoundInfo() {}

    public RoundInfo(long tableId, String database, String table, long epoch, int buckets, String startOffsets,
            boolean lakeHadOffsets) {
        this.tableId = tableId;
        this.database = database;
        this.table = table;
        this.epoch = epoch;
        this.buckets = buckets;
        this.startOffsets = startOffsets;
        this.lakeHadOffsets = lakeHadOffsets;
    }

    public TieredOffsets start() {
        return TieredOffsets.decode(tableId, epoch, startOffsets);
    }

    public io.thermocline.common.metadata.TablePath path() {
        return io.thermocline.common.metadata.TablePath.of(database, table);
    }
}
