package io.thermocline.client.api;

import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.InternalRow;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a primary-key table by key from the bucket leaders' KV tablets: committed rows only, and
 * every acknowledged write. Keys are rows of the primary-key columns in key order. Thread-safe.
 */
public interface Lookuper {

    /** The row of a key, if it has one. */
    CompletableFuture<Optional<GenericRow>> lookup(InternalRow key);

    /** The rows of many keys, in order, in one request per bucket leader. */
    CompletableFuture<List<Optional<GenericRow>>> lookupAll(List<? extends InternalRow> keys);

    /**
     * The rows whose key starts with a bucket-key prefix: {@code prefix} holds the bucket-key
     * columns, which must be the first primary-key columns.
     */
    CompletableFuture<List<GenericRow>> prefixLookup(InternalRow prefix);
}
