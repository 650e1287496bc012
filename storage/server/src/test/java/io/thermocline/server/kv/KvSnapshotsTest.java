package io.thermocline.server.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;

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

    @TempDir
    Path dir;

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
        KvSnapshots snapshots = new KvSnapshots(dir.resolve("shared"), BUCKET, 2);
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
        try (KvTablet restored = KvTablet.openOrRestore(dir.resolve("elsewhere"), BUCKET, KvSchemas.fixed(SCHEMA, MERGER), snapshots)) {
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
        try (KvTablet local = KvTablet.openOrRestore(dir.resolve("kv"), BUCKET, KvSchemas.fixed(SCHEMA, MERGER), snapshots)) {
            assertThat(local.appliedOffset()).isEqualTo(320L); // ten updates: -U and +U each
            assertThat(local.get(local.encodeKey(GenericRow.of(5, null))).map(r -> r.getLong(1))).contains(99L);
        }
    }
}
