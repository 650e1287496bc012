package io.thermocline.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecords;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.testutils.ArrowTestBase;
import io.thermocline.common.testutils.ManualClock;
import io.thermocline.common.testutils.TestBatches;
import io.thermocline.common.types.DataTypes;
import io.thermocline.common.types.RowType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Shared setup for bucket log tests: a temp directory, a manual clock and batch helpers. */
abstract class LogTestBase extends ArrowTestBase {
    static final TableBucket BUCKET = new TableBucket(42, 3);
    static final RowType ROW_TYPE = DataTypes.ROW(
            DataTypes.FIELD("id", DataTypes.BIGINT().notNull()), DataTypes.FIELD("payload", DataTypes.STRING()));
    static final int SCHEMA_ID = 1;

    @TempDir
    Path dir;

    ManualClock clock;
    final List<BucketLog> opened = new ArrayList<>();

    @BeforeEach
    void setUpBase() {
        clock = new ManualClock(1_700_000_000_000L);
    }

    @AfterEach
    void tearDownBase() {
        for (BucketLog log : opened) {
            try {
                log.close();
            } catch (RuntimeException ignored) {
                // abandoned logs in crash tests may have had their files replaced
            }
        }
    }

    BucketLog open(LogConfig config) {
        return openAt(dir, config);
    }

    BucketLog openAt(Path logDir, LogConfig config) {
        BucketLog log = BucketLog.builder(logDir, BUCKET)
                .config(config)
                .clock(clock)
                .acceptedSchemaIds(id -> id == SCHEMA_ID)
                .open();
        opened.add(log);
        return log;
    }

    static LogConfig config(int segmentBytes, int indexInterval) {
        LogConfig d = LogConfig.defaults();
        return new LogConfig(segmentBytes, d.segmentMaxAgeMs(), indexInterval, d.maxBatchBytes(), d.retentionBytes(),
                d.retentionMs(), d.flushIntervalRecords(), d.flushIntervalMs());
    }

    /** A batch of {@code rows} rows whose ids start at {@code firstId}. */
    MemoryLogRecords batch(long firstId, int rows) {
        List<GenericRow> list = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            list.add(GenericRow.of(firstId + i, "payload-" + (firstId + i) + "-" + "x".repeat((int) ((firstId + i) % 50))));
        }
        return TestBatches.appendOnly(ROW_TYPE, SCHEMA_ID, LogCompression.NONE, list, allocator);
    }

    /** Ids of all rows readable from the log, in offset order, checking offsets are dense. */
    List<Long> readIds(BucketLog log) {
        List<Long> ids = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            LogRecords records = log.read(offset, Integer.MAX_VALUE).records();
            assertThat(records.sizeInBytes()).as("read at offset %d", offset).isPositive();
            for (LogRecordBatch batch : records.batches()) {
                batch.ensureValid(BUCKET, batch.baseOffset());
                assertThat(batch.baseOffset()).isEqualTo(offset);
                offset = batch.nextOffset();
                for (GenericRow row : TestBatches.decode(batch, ROW_TYPE, allocator)) {
                    ids.add(row.getLong(0));
                }
            }
        }
        assertThat(offset).isEqualTo(log.logEndOffset());
        return ids;
    }

    static List<Long> range(long from, long toExclusive) {
        List<Long> ids = new ArrayList<>();
        for (long i = from; i < toExclusive; i++) {
            ids.add(i);
        }
        return ids;
    }
}
