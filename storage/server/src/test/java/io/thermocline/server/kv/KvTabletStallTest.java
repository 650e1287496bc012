package io.thermocline.server.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataTypes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * When RocksDB would stall, applying changes fails fast instead of blocking the replica; the
 * changes stay pending and are applied once RocksDB catches up.
 */
class KvTabletStallTest {
    private static final Schema SCHEMA = Schema.builder().column("id", DataTypes.INT().notNull())
            .column("payload", DataTypes.STRING()).primaryKey("id").build();

    @TempDir
    Path dir;

    @Test
    void aStalledApplyKeepsItsChangesAndAppliesThemLater() throws Exception {
        RowMerger merger = RowMerger.of(TablePath.of("db", "t"), SCHEMA, Map.of());
        Options options = new Options().setWriteBufferSize(64 << 10).setMaxWriteBufferNumber(2);
        String payload = "x".repeat(4096);
        try (KvTablet kv = KvTablet.open(dir.resolve("kv"), new TableBucket(1, 0), KvSchemas.fixed(SCHEMA, merger), options)) {
            kv.pauseBackgroundWork(); // memtables fill up and are never flushed
            long offset = 0;
            int id = 0;
            boolean applied = true;
            for (; id < 10_000 && applied; id++) {
                KvTablet.Prepared prepared = kv.prepare(List.of(new KvTablet.Write(false,
                        GenericRow.of(id, BinaryString.fromString(payload)), null)));
                kv.commit(prepared, offset);
                offset += prepared.changelog().size();
                applied = kv.flush(offset);
            }
            assertThat(applied).as("RocksDB stalls once its memtables are full").isFalse();
            assertThat(kv.isWriteStalled()).isTrue();
            assertThat(kv.appliedOffset()).isLessThan(offset);

            kv.continueBackgroundWork();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!kv.flush(offset)) {
                assertThat(System.nanoTime()).as("the stall passes").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(kv.isWriteStalled()).isFalse();
            assertThat(kv.appliedOffset()).isEqualTo(offset);
            for (int key = 0; key < id; key++) {
                assertThat(kv.get(kv.encodeKey(GenericRow.of(key, null)))).as("key %d", key).isPresent();
            }
        }
    }
}
