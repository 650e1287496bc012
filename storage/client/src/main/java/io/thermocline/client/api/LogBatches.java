package io.thermocline.client.api;

import java.nio.ByteBuffer;

/**
 * Batches of one bucket exactly as the log stores them (the batch format of
 * {@code io.thermocline.common.internal.record}), for readers that decode Arrow columns
 * themselves, such as the tiering job. The first batch may begin before {@code fromOffset}: rows
 * before it were returned by an earlier poll and must be skipped.
 *
 * @param nextOffset the offset after the last row of the last batch
 */
public record LogBatches(long partitionId, int bucket, long fromOffset, long nextOffset, ByteBuffer batches) {}
