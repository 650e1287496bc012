package io.thermocline.flink.source;

import java.util.Set;

/**
 * What a source's enumerator checkpoints: whether it has assigned the splits (which then live in
 * the readers' checkpoints), and the partitions it has handed out.
 */
public record EnumeratorState(boolean assigned, Set<Long> partitions) {
    static final EnumeratorState INITIAL = new EnumeratorState(false, Set.of());

    public EnumeratorState {
        partitions = Set.copyOf(partitions);
    }
}
