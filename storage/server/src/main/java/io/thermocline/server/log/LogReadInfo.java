package io.thermocline.server.log;

import io.thermocline.common.internal.record.LogRecords;

/**
 * The result of a log read: whole batches starting with the one that holds {@code fetchOffset}
 * (so the first batch may begin before it), and the log's bounds at the time of the read.
 */
public record LogReadInfo(long fetchOffset, LogRecords records, long logStartOffset, long logEndOffset) {}
