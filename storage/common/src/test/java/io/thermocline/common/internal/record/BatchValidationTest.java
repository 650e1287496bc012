package io.thermocline.common.internal.record;

import static io.thermocline.common.internal.record.LogRecordBatchRoundTripTest.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.CorruptRecordException;
import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.RetriableException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.testutils.ArrowTestBase;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.testutils.TestBatches;
import io.thermocline.common.types.DataTypes;
import io.thermocline.common.types.RowType;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

class BatchValidationTest extends ArrowTestBase {
    private static final TableBucket BUCKET = new TableBucket(9, 4, 1);
    private static final RowType ROW_TYPE = DataTypes.ROW(DataTypes.FIELD("a", DataTypes.BIGINT()));

    private ByteBuffer bytes;

    @BeforeEach
    void setUp() {
        MemoryLogRecords records = TestBatches.appendOnly(
                ROW_TYPE, 1, LogCompression.NONE, List.of(GenericRow.of(1L), GenericRow.of(2L)), allocator);
        bytes = records.buffer();
    }


    @Test
    void soundBatchPasses() {
        single(MemoryLogRecords.readableRecords(bytes)).ensureValid(BUCKET, 10);
    }

    @Test
    void wrongCrcIsCorruptAndRetriable() {
        int last = bytes.limit() - 1;
        bytes.put(last, (byte) (bytes.get(last) ^ 0x5A));
        assertThatThrownBy(() -> validate(10))
                .isInstanceOf(CorruptRecordException.class)
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("table 9 partition 4 bucket 1")
                .hasMessageContaining("offset 10")
                .hasMessageContaining("CRC mismatch");
    }

    @Test
    void impossibleLengthsAreCorrupt() {
        bytes.putInt(LogRecordBatchFormat.LENGTH_OFFSET, 3);
        assertThatThrownBy(() -> validate(11)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("impossible length 3");
        bytes.putInt(LogRecordBatchFormat.LENGTH_OFFSET, Integer.MAX_VALUE);
        assertThatThrownBy(() -> validate(11)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("impossible length " + Integer.MAX_VALUE);
        bytes.putInt(LogRecordBatchFormat.LENGTH_OFFSET, -20);
        assertThatThrownBy(() -> validate(11)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("impossible length -20");
    }

    @Test
    void truncatedBatchIsCorrupt() {
        bytes.limit(bytes.limit() - 10);
        assertThatThrownBy(() -> validate(12)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("offset 12")
                .hasMessageContaining("exceeds");
        bytes.limit(5);
        assertThatThrownBy(() -> validate(12)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void unknownMagicIsInvalid() {
        bytes.put(LogRecordBatchFormat.MAGIC_OFFSET, (byte) 7);
        assertThatThrownBy(() -> validate(13))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining(BUCKET.toString())
                .hasMessageContaining("unknown magic 7");
    }

    @Test
    void unknownAttributesAndCountsAreInvalidEvenWithAValidCrc() {
        LogRecordBatch batch = single(MemoryLogRecords.readableRecords(bytes));
        bytes.putShort(LogRecordBatchFormat.ATTRIBUTES_OFFSET, (short) 0x40);
        batch.updateChecksum();
        assertThatThrownBy(() -> validate(14)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("unknown attributes 0x40");
        bytes.putShort(LogRecordBatchFormat.ATTRIBUTES_OFFSET, (short) 0);
        bytes.putInt(LogRecordBatchFormat.RECORD_COUNT_OFFSET, 5);
        batch.updateChecksum();
        assertThatThrownBy(() -> validate(14)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("record count 5");
    }

    @Test
    void stampingKeepsTheBatchValid() {
        LogRecordBatch batch = single(MemoryLogRecords.readableRecords(bytes));
        batch.setBaseOffset(500);
        batch.setCommitTimestampAndEpoch(1234L, 3);
        assertThatThrownBy(() -> validate(500)).isInstanceOf(CorruptRecordException.class);
        batch.updateChecksum();
        validate(500);
        assertThat(batch.lastOffset()).isEqualTo(501);
        assertThat(batch.commitTimestamp()).isEqualTo(1234L);
        assertThat(batch.leaderEpoch()).isEqualTo(3);
    }

    @Test
    void restampingAfterValidationHashesOnlyTheHeaderYetMatchesAFullHash() {
        LogRecordBatch batch = single(MemoryLogRecords.readableRecords(bytes));
        batch.ensureValid(BUCKET, 0); // learns the body CRC
        batch.setCommitTimestampAndEpoch(987_654_321L, 17);
        batch.updateChecksum();
        assertThat(batch.checksum()).isEqualTo(batch.computeChecksum());
        validate(0);
    }

    @Test
    void aNoOpMarkerSpansOneOffsetAndReadsAsNoRows() {
        try (LogRecordBatchBuilder builder = new LogRecordBatchBuilder(ROW_TYPE, 1, LogCompression.LZ4_FRAME, true,
                1 << 20, allocator);
                LogRecordReader reader = new LogRecordReader(null, ROW_TYPE, allocator)) {
            assertThatThrownBy(builder::buildNoOpMarker).as("a marker names a writer")
                    .isInstanceOf(IllegalStateException.class);
            builder.setWriterState(42, 7);
            LogRecordBatch marker = single(builder.buildNoOpMarker());
            marker.setBaseOffset(100);
            marker.ensureValid(BUCKET, 100);
            assertThat(marker.isNoOpMarker()).isTrue();
            assertThat(marker.writerId()).isEqualTo(42);
            assertThat(marker.batchSequence()).isEqualTo(7);
            assertThat(marker.nextOffset()).as("one offset").isEqualTo(101);
            assertThat(reader.read(marker).recordCount()).isZero();
        }
    }

    @Test
    void aBatchWithoutRowsThatIsNoMarkerIsInvalid() {
        try (LogRecordBatchBuilder builder = new LogRecordBatchBuilder(ROW_TYPE, 1, LogCompression.NONE, false,
                1 << 20, allocator)) {
            builder.setWriterState(42, 7);
            bytes = builder.buildNoOpMarker().buffer();
        }
        bytes.putInt(LogRecordBatchFormat.LAST_OFFSET_DELTA_OFFSET, 3);
        new LogRecordBatch(bytes).updateChecksum();
        assertThatThrownBy(() -> validate(20)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("no-op marker").hasMessageContaining("last offset delta 3");
        bytes.putInt(LogRecordBatchFormat.LAST_OFFSET_DELTA_OFFSET, 0);
        bytes.putLong(LogRecordBatchFormat.WRITER_ID_OFFSET, LogRecordBatchFormat.NO_WRITER_ID);
        new LogRecordBatch(bytes).updateChecksum();
        assertThatThrownBy(() -> validate(20)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("no-op marker").hasMessageContaining("writer id -1");
    }

    private void validate(long offset) {
        new LogRecordBatch(bytes).ensureValid(BUCKET, offset);
    }
}
