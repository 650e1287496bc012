package io.thermocline.client.api;

import io.thermocline.common.row.GenericRow;

/**
 * One row read from a bucket: its offset, the time its batch was committed, and the values of the
 * scanned columns. {@code changeType} is {@code +I} for log tables.
 *
 * @param partitionId the bucket's partition, or {@code TableBucket.NO_PARTITION}
 */
public record ScanRecord(long partitionId, int bucket, long offset, long commitTimestamp, String changeType, GenericRow row) {}
