package io.thermocline.server.log;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Copies of a log's writer states taken at its last segment rolls, by the offset each holds
 * everything before: a truncation starts from the newest at or below its offset and reads batch
 * headers from there, not the whole log, under the append lock. Not thread-safe: the log's lock
 * guards it.
 */
final class WriterStatesAtRolls {
    /** Truncations are near the end: a few rolls back is enough. */
    private static final int KEPT = 4;

    private final NavigableMap<Long, WriterStates> copies = new TreeMap<>();

    /** A segment rolled at {@code offset}: remembers the states as they are now. */
    void rolled(long offset, WriterStates current) {
        copies.put(offset, current.copy());
        while (copies.size() > KEPT) {
            copies.pollFirstEntry();
        }
    }

    /**
     * The newest copy at or below {@code logEnd} (a log just truncated there), or null; copies
     * above it describe batches that are gone and are dropped.
     */
    Map.Entry<Long, WriterStates> newestUpTo(long logEnd) {
        copies.tailMap(logEnd, false).clear();
        return copies.lastEntry();
    }

    void clear() {
        copies.clear();
    }
}
