package io.thermocline.tiering.committer;

import io.thermocline.common.metadata.TableBucket;
import io.thermocline.lake.TieredOffsets;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Accepts an Iceberg commit only if the newest tiered offsets in the history it lands on are the
 * expected ones (none at all, when {@code expected} is null). Iceberg checks it when the commit
 * lands and again on each of its own retries, so a commit planned from an older lake state fails
 * instead of restating or overlapping offsets that moved meanwhile.
 */
final class NewestOffsetsAre implements SnapshotAncestryValidator {
    private final Map<TableBucket, Long> expected;
    private final String committer;
    private String found = "none";

    /** @param committer what commits, for the error message */
    NewestOffsetsAre(Map<TableBucket, Long> expected, String committer) {
        this.expected = expected;
        this.committer = committer;
    }

    @Override
    public boolean validate(Iterable<Snapshot> ancestry) {
        for (Snapshot snapshot : ancestry) {
            Optional<TieredOffsets> offsets = TieredOffsets.of(snapshot);
            if (offsets.isPresent()) {
                found = "snapshot " + snapshot.snapshotId() + " of round " + offsets.get().epoch();
                return Objects.equals(offsets.get().endOffsets(), expected);
            }
        }
        return expected == null;
    }

    @Override
    public String errorMessage() {
        return committer + " started from lake offsets " + (expected == null ? "none" : expected)
                + " but the lake now ends with " + found;
    }
}
