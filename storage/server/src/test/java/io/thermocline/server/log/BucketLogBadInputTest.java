package io.thermocline.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.CorruptRecordException;
import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.RecordBatchTooLargeException;
import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatchFormat;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.testutils.TestBatches;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/** Every rejected append names bucket, offset and reason, and loses nothing already appended. */
class BucketLogBadInputTest extends LogTestBase {
    private BucketLog log;

    @BeforeEach
    void appendGoodData() {
        log = open(config(4096, 512));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(i * 5L, 5), 0);
        }
    }

    @Test
    void wrongCrc() {
        assertRejected(damaged(b -> b.put(b.limit() - 1, (byte) (b.get(b.limit() - 1) ^ 1))),
                CorruptRecordException.class, "CRC mismatch");
    }

    @Test
    void impossibleLength() {
        assertRejected(damaged(b -> b.putInt(LogRecordBatchFormat.LENGTH_OFFSET, 1 << 30)),
                CorruptRecordException.class, "impossible length " + (1 << 30));
        assertRejected(damaged(b -> b.putInt(LogRecordBatchFormat.LENGTH_OFFSET, 2)),
                CorruptRecordException.class, "impossible length 2");
    }

    @Test
    void unknownMagic() {
        assertRejected(damaged(b -> b.put(LogRecordBatchFormat.MAGIC_OFFSET, (byte) 9)),
                InvalidRecordException.class, "unknown magic 9");
    }

    @Test
    void schemaIdMismatch() {
        MemoryLogRecords otherSchema = TestBatches.appendOnly(
                ROW_TYPE, 2, LogCompression.NONE, List.of(GenericRow.of(1L, "x")), allocator);
        assertRejected(otherSchema, InvalidRecordException.class, "schema id 2 is not a schema of this table");
    }

    @Test
    void tooLarge() {
        log.close();
        var d = LogConfig.defaults();
        log = open(new LogConfig(4096, d.segmentMaxAgeMs(), 512, 400, -1, 0, Long.MAX_VALUE, 0));
        assertRejected(batch(100, 50), RecordBatchTooLargeException.class, "exceeds the limit of 400 bytes");
    }

    @Test
    void aBadBatchAfterAGoodOneRejectsTheWholeAppend() {
        MemoryLogRecords good = batch(100, 5);
        MemoryLogRecords bad = damaged(b -> b.put(LogRecordBatchFormat.MAGIC_OFFSET, (byte) 3));
        ByteBuffer both = ByteBuffer.allocate(good.sizeInBytes() + bad.sizeInBytes());
        both.put(good.buffer()).put(bad.buffer()).flip();
        // the second batch would have landed at offset 105
        assertRejected(MemoryLogRecords.readableRecords(both), InvalidRecordException.class, "offset 105");
    }

    @Test
    void aTruncatedRequestIsRejected() {
        ByteBuffer bytes = batch(100, 5).buffer();
        bytes.limit(bytes.limit() - 30);
        assertRejected(MemoryLogRecords.readableRecords(bytes), CorruptRecordException.class, "exceeds");
    }

    private MemoryLogRecords damaged(Consumer<ByteBuffer> damage) {
        ByteBuffer bytes = batch(100, 5).buffer();
        damage.accept(bytes);
        return MemoryLogRecords.readableRecords(bytes);
    }

    private void assertRejected(MemoryLogRecords records, Class<? extends Throwable> type, String reason) {
        long endBefore = log.logEndOffset();
        long sizeBefore = log.sizeInBytes();
        assertThatThrownBy(() -> log.appendAsLeader(records, 0))
                .isInstanceOf(type)
                .hasMessageContaining(BUCKET.toString())
                .hasMessageContaining("offset " + (reason.startsWith("offset") ? "" : endBefore))
                .hasMessageContaining(reason);
        assertThat(log.logEndOffset()).isEqualTo(endBefore);
        assertThat(log.sizeInBytes()).isEqualTo(sizeBefore);
        assertThat(readIds(log)).isEqualTo(range(0, 100));
        log.appendAsLeader(batch(100, 2), 0);
        log.truncateTo(100);
        log.close();
        log = open(config(4096, 512));
        assertThat(readIds(log)).isEqualTo(range(0, 100));
    }
}
