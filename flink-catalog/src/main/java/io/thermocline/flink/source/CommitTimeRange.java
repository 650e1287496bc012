package io.thermocline.flink.source;

import io.thermocline.lake.LakeTableLayout;

import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

import java.io.Serializable;

/**
 * The commit times a read needs, known from the query's filters: rows committed at or after
 * {@code from} and before {@code until} (each null when unbounded). A union read skips what cannot
 * match in each tier (see {@code BucketSplitEnumerator}); the filters still run on what is read.
 */
public record CommitTimeRange(Long from, Long until) implements Serializable {
    /** The lake rows in range: Iceberg prunes files by their {@code __timestamp} statistics. */
    Expression lakeFilter() {
        Expression filter = Expressions.alwaysTrue();
        if (from != null) {
            filter = Expressions.and(filter, Expressions.greaterThanOrEqual(LakeTableLayout.TIMESTAMP_COLUMN, from * 1000));
        }
        if (until != null) {
            filter = Expressions.and(filter, Expressions.lessThan(LakeTableLayout.TIMESTAMP_COLUMN, until * 1000));
        }
        return filter;
    }

    /** The times in both ranges. */
    public CommitTimeRange intersect(CommitTimeRange other) {
        return new CommitTimeRange(from == null ? other.from : other.from == null ? from : Math.max(from, other.from),
                until == null ? other.until : other.until == null ? until : Math.min(until, other.until));
    }

    /** Whether no commit time is in range. */
    public boolean isEmpty() {
        return from != null && until != null && from >= until;
    }

    @Override
    public String toString() {
        return "[" + (from == null ? "-inf" : java.time.Instant.ofEpochMilli(from)) + ", "
                + (until == null ? "+inf" : java.time.Instant.ofEpochMilli(until)) + ")";
    }
}
