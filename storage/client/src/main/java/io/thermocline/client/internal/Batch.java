package io.thermocline.client.internal;

import io.thermocline.client.api.AppendWriter.AppendResult;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.TableBucket;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A writer's sealed batch for one bucket and the futures of its rows, in row order. */
record Batch(TableBucket bucket, MemoryLogRecords records, List<CompletableFuture<AppendResult>> futures, long bytes,
        long createdNanos) {}
