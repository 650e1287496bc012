package io.thermocline.common.internal.record;

/**
 * A sequence of log batches, in memory or in a file. Iterating may read from disk; the batches
 * returned are valid until the records are closed or modified.
 */
public interface LogRecords {

    int sizeInBytes();

    Iterable<LogRecordBatch> batches();
}
