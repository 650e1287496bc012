package io.thermocline.client.api;

import io.thermocline.common.row.InternalRow;

import java.util.concurrent.CompletableFuture;

/**
 * A writer whose rows become visible only when the caller commits them, for exactly-once sinks:
 * rows are staged into sealed batches stamped with this writer's id and per-bucket sequences, and
 * {@link #commit} appends them. Committing the same {@link StagedBatches} again (after a crash, from
 * a checkpoint) appends nothing twice: the servers recognise every batch already appended. Batches
 * must be committed in the order they were staged. Not thread-safe.
 */
public interface StagedWriter extends AutoCloseable {

    /** Stages an append (log tables) or an upsert (primary-key tables). */
    void write(InternalRow row);

    /** Stages the delete of a row's key (primary-key tables). */
    void delete(InternalRow row);

    /** Seals the rows written since the last call into batches; empty when there were none. */
    StagedBatches stage();

    /** Appends staged batches, in order, with acks from all in-sync replicas; idempotent. */
    CompletableFuture<Void> commit(StagedBatches batches);

    @Override
    void close();
}
