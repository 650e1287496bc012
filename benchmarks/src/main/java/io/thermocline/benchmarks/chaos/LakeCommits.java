package io.thermocline.benchmarks.chaos;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.common.metadata.TablePath;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** The lake commits of one table the coordinator has recorded, as seen by polling it. */
final class LakeCommits {
    private final Admin admin;
    private final TablePath table;
    private final Set<Long> snapshots = new HashSet<>();

    LakeCommits(Admin admin, TablePath table) {
        this.admin = admin;
        this.table = table;
    }

    /** How many distinct lake snapshots were seen recorded. */
    long seen() {
        poll();
        return snapshots.size();
    }

    /** Waits until {@code count} more commits than now have been seen. */
    void awaitMore(int count) throws InterruptedException {
        long target = seen() + count;
        ChaosFaults.await(() -> seen() >= target, count + " more lake commits of " + table);
    }

    private void poll() {
        current(admin, table).map(LakeSnapshot::snapshotId).ifPresent(snapshots::add);
    }

    /** The lake snapshot the coordinator records for the table; empty also while the coordinator is changing. */
    static Optional<LakeSnapshot> current(Admin admin, TablePath table) {
        try {
            return admin.getLakeSnapshot(table).get();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
