package io.thermocline.server.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;

import io.thermocline.server.kv.store.SnapshotStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Incremental KV snapshots in a shared directory: upload, retention, restore. */
class KvSnapshotsTest {
    private static final TableBucket BUCKET = new TableBucket(3, 7, 1);
    private static final Schema SCHEMA = Schema.builder().column("id", DataTypes.INT().notNull())
            .column("v", DataTypes.BIGINT()).primaryKey("id").build();
    private static final RowMerger MERGER = RowMerger.of(TablePath.of("db", "t"), SCHEMA, Map.of());
    private static final KvSchemas SCHEMAS = KvSchemas.fixed(SCHEMA, MERGER);

    @TempDir
    Path dir;

    private KvSnapshots snapshots(int retained) {
        return new KvSnapshots(SnapshotStore.open(dir.resolve("shared").toString(), new Configuration()), BUCKET,
                retained, Runnable::run);
    }

    private long write(KvTablet kv, long offset, int from, int to, long value) {
        List<KvTablet.Write> writes = new java.util.ArrayList<>();
        for (int id = from; id < to; id++) {
            writes.add(new KvTablet.Write(false, GenericRow.of(id, value), null));
        }
        KvTablet.Prepared prepared = kv.prepare(writes);
        kv.commit(prepared, offset);
        long end = offset + prepared.changelog().size();
        kv.flush(end);
        return end;
    }

    @Test
    void snapshotsShareFilesKeepTheNewestAndRestore() throws Exception {
        KvSnapshots snapshots = snapshots(2);
        long offset = 0;
        try (KvTablet kv = KvTablet.open(dir.resolve("kv"), BUCKET, SCHEMA, MERGER)) {
            for (int round = 0; round < 3; round++) {
                offset = write(kv, offset, round * 100, round * 100 + 100, round);
                Path scratch = dir.resolve("scratch-" + round);
                long at = kv.checkpoint(scratch);
                assertThat(at).isEqualTo(offset);
                snapshots.upload(scratch, at);
            }
        }
        assertThat(snapshots.list()).extracting(KvSnapshots.Snapshot::offset).containsExactly(200L, 300L);
        assertThat(snapshots.oldestOffset()).isEqualTo(200L);
        // SST files are shared, not copied per snapshot: the two kept list no more files than are stored
        Path shared = dir.resolve("shared/table-3/partition-7/bucket-1/sst");
        try (Stream<Path> files = Files.list(shared)) {
            assertThat(files.count()).isLessThanOrEqualTo(3);
        }

        // a replica whose KV directory is gone restores the latest snapshot
        try (KvTablet restored = KvTablet.openOrRestore(dir.resolve("elsewhere"), BUCKET, SCHEMAS, snapshots,
                300)) {
            assertThat(restored.appliedOffset()).isEqualTo(300L);
            for (int id = 0; id < 300; id++) {
                assertThat(restored.get(restored.encodeKey(GenericRow.of(id, null))).map(r -> r.getLong(1)))
                        .as("key %d", id).contains((long) (id / 100));
            }
        }
        // one that holds more than the snapshot keeps its own state
        try (KvTablet kv = KvTablet.open(dir.resolve("kv"), BUCKET, SCHEMA, MERGER)) {
            write(kv, offset, 0, 10, 99);
        }
        try (KvTablet local = KvTablet.openOrRestore(dir.resolve("kv"), BUCKET, SCHEMAS, snapshots, 320)) {
            assertThat(local.appliedOffset()).isEqualTo(320L); // ten updates: -U and +U each
            assertThat(local.get(local.encodeKey(GenericRow.of(5, null))).map(r -> r.getLong(1))).contains(99L);
        }
    }

    /** Three snapshots, at offsets 100, 200 and 300 (key i holds i / 100); returns the store. */
    private KvSnapshots threeSnapshots() {
        KvSnapshots snapshots = snapshots(3);
        long offset = 0;
        try (KvTablet kv = KvTablet.open(dir.resolve("source"), BUCKET, SCHEMA, MERGER)) {
            for (int round = 0; round < 3; round++) {
                offset = write(kv, offset, round * 100, round * 100 + 100, round);
                Path scratch = dir.resolve("scratch-" + round);
                snapshots.upload(scratch, kv.checkpoint(scratch));
            }
        }
        return snapshots;
    }

    @Test
    void aTabletAheadOfItsTruncatedLogIsRebuiltFromASnapshotAtOrBelowTheLogEnd() {
        KvSnapshots snapshots = threeSnapshots();
        Path local = dir.resolve("kv");
        try (KvTablet kv = KvTablet.open(local, BUCKET, SCHEMA, MERGER)) {
            write(kv, 0, 0, 250, 7); // applied 250: of a history the log gave up below 120
        }
        KvTablet.markTruncated(local, 120);
        // The new history's log ends at 260: the snapshot at 300 is of the old one and goes.
        try (KvTablet kv = KvTablet.openOrRestore(local, BUCKET, SCHEMAS, snapshots, 260)) {
            assertThat(kv.appliedOffset()).isEqualTo(200L);
            assertThat(kv.get(kv.encodeKey(GenericRow.of(150, null))).map(r -> r.getLong(1))).contains(1L);
            assertThat(kv.get(kv.encodeKey(GenericRow.of(240, null)))).isEmpty();
        }
        assertThat(snapshots.list()).extracting(KvSnapshots.Snapshot::offset).containsExactly(100L, 200L);
        // The truncation was accounted for: the rebuilt tablet is trusted the next time.
        try (KvTablet kv = KvTablet.openOrRestore(local, BUCKET, SCHEMAS, snapshots, 260)) {
            assertThat(kv.appliedOffset()).isEqualTo(200L);
        }
    }

    @Test
    void aTruncationAboveWhatTheTabletAppliedKeepsIt() {
        KvSnapshots snapshots = snapshots(3);
        Path local = dir.resolve("kv");
        try (KvTablet kv = KvTablet.open(local, BUCKET, SCHEMA, MERGER)) {
            write(kv, 0, 0, 50, 1);
        }
        KvTablet.markTruncated(local, 80);
        try (KvTablet kv = KvTablet.openOrRestore(local, BUCKET, SCHEMAS, snapshots, 90)) {
            assertThat(kv.appliedOffset()).isEqualTo(50L);
        }
    }

    @Test
    void anUnreadableNewestSnapshotFallsBackToTheOneBefore() throws Exception {
        KvSnapshots snapshots = threeSnapshots();
        KvSnapshots.Snapshot newest = snapshots.list().get(2);
        // One of its SST files is gone from the shared folder.
        List<String> older = Files.readAllLines(dir.resolve("shared").resolve(snapshots.list().get(1).folder()).resolve("files"));
        String missing = Files.readAllLines(dir.resolve("shared").resolve(newest.folder()).resolve("files")).stream()
                .filter(line -> line.endsWith(".sst")).map(line -> line.split(" ")[1])
                .filter(name -> older.stream().noneMatch(line -> line.endsWith(name)))
                .findFirst().orElseThrow();
        Files.delete(dir.resolve("shared/table-3/partition-7/bucket-1/sst").resolve(missing));
        try (KvTablet kv = KvTablet.openOrRestore(dir.resolve("kv"), BUCKET, SCHEMAS, snapshots, 300)) {
            assertThat(kv.appliedOffset()).isEqualTo(200L);
            assertThat(kv.get(kv.encodeKey(GenericRow.of(150, null))).map(r -> r.getLong(1))).contains(1L);
        }
        assertThat(dir.resolve("kv.restoring")).doesNotExist();
    }

    @Test
    void uploadsOfOneOffsetAtOnceWriteApartAndOneCompleteSnapshotIsListed() throws Exception {
        KvSnapshots snapshots = snapshots(3);
        List<Path> checkpoints = new java.util.ArrayList<>();
        long offset;
        try (KvTablet kv = KvTablet.open(dir.resolve("source"), BUCKET, SCHEMA, MERGER)) {
            offset = write(kv, 0, 0, 500, 3);
            for (int i = 0; i < 4; i++) {
                Path scratch = dir.resolve("scratch-" + i);
                kv.checkpoint(scratch);
                checkpoints.add(scratch);
            }
        }
        long at = offset;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(checkpoints.size());
        List<java.util.concurrent.CompletableFuture<KvSnapshots.Snapshot>> uploads = new java.util.ArrayList<>();
        for (Path checkpoint : checkpoints) {
            uploads.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return snapshots.upload(checkpoint, at);
            }));
        }
        for (var upload : uploads) {
            assertThat(upload.get().offset()).isEqualTo(at);
        }
        assertThat(snapshots.list()).extracting(KvSnapshots.Snapshot::offset).containsExactly(at);
        try (Stream<Path> left = Files.walk(dir.resolve("shared/table-3/partition-7/bucket-1"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".partial"));
        }
        try (KvTablet kv = KvTablet.openOrRestore(dir.resolve("kv"), BUCKET, SCHEMAS, snapshots, at)) {
            assertThat(kv.appliedOffset()).isEqualTo(at);
            assertThat(kv.get(kv.encodeKey(GenericRow.of(499, null))).map(r -> r.getLong(1))).contains(3L);
        }
    }
}
