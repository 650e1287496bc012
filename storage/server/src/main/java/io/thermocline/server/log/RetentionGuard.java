package io.thermocline.server.log;

/**
 * Limits what retention may delete. A segment is deleted only when all its offsets are below
 * {@link #deletableBefore()}: a lake-enabled table returns its last tiered offset, so that data
 * not yet in the lake is never lost to retention; replication may return the high watermark.
 * Called under the log's lock; must be cheap and must not call back into the log.
 */
@FunctionalInterface
public interface RetentionGuard {

    /** Offsets below this may be deleted. */
    long deletableBefore();

    RetentionGuard NONE = () -> Long.MAX_VALUE;
}
