package io.thermocline.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.OffsetOutOfRangeException;
import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordBatchBuilder;
import io.thermocline.common.internal.record.MemoryLogRecords;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class BucketLogTest extends LogTestBase {

    @Test
    void appendsGetDenseOffsetsAndMonotonicTimestamps() {
        BucketLog log = open(LogConfig.defaults());
        LogAppendInfo first = log.appendAsLeader(batch(0, 10), 5);
        clock.advance(Duration.ofSeconds(-30)); // a wall clock stepping back must not reorder commits
        LogAppendInfo second = log.appendAsLeader(batch(10, 5), 5);

        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(9);
        assertThat(second.firstOffset()).isEqualTo(10);
        assertThat(second.lastOffset()).isEqualTo(14);
        assertThat(second.commitTimestamp()).isEqualTo(first.commitTimestamp());
        assertThat(log.logEndOffset()).isEqualTo(15);
        List<LogRecordBatch> batches = new ArrayList<>();
        log.read(0, Integer.MAX_VALUE).records().batches().forEach(batches::add);
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).leaderEpoch()).isEqualTo(5);
        assertThat(batches.get(0).commitTimestamp()).isEqualTo(clock.milliseconds() + 30_000);
        assertThat(readIds(log)).isEqualTo(range(0, 15));
    }

    @Test
    void readsStartAtTheBatchHoldingTheOffsetAndRespectLimits() {
        BucketLog log = open(config(1 << 20, 1));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(i * 10L, 10), 0);
        }
        LogReadInfo read = log.read(37, 1);
        List<LogRecordBatch> batches = batches(read);
        assertThat(batches).hasSize(1); // at least one batch even when larger than max bytes
        assertThat(batches.get(0).baseOffset()).isEqualTo(30);

        int twoBatches = batches.get(0).sizeInBytes() * 2 + 100;
        assertThat(batches(log.read(40, twoBatches))).extracting(LogRecordBatch::baseOffset).containsExactly(40L, 50L);
        // an upper bound (the high watermark) hides batches that reach it
        assertThat(batches(log.read(40, Integer.MAX_VALUE, 65))).extracting(LogRecordBatch::baseOffset)
                .containsExactly(40L, 50L);
        assertThat(log.read(200, 1000).records().sizeInBytes()).isZero();
        assertThatThrownBy(() -> log.read(201, 1000))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("Offset 201")
                .hasMessageContaining(BUCKET.toString())
                .hasMessageContaining("0 to 200");
    }

    @Test
    void reopeningACleanlyClosedLogKeepsEverything() {
        BucketLog log = open(config(4096, 512));
        for (int i = 0; i < 50; i++) {
            log.appendAsLeader(batch(i * 7L, 7), 1);
        }
        int segmentCount = log.segmentCount();
        assertThat(segmentCount).isGreaterThan(3);
        log.close();
        assertThat(log.recoveryPoint()).isEqualTo(350);

        BucketLog reopened = open(config(4096, 512));
        assertThat(reopened.logEndOffset()).isEqualTo(350);
        assertThat(reopened.segmentCount()).isEqualTo(segmentCount);
        assertThat(readIds(reopened)).isEqualTo(range(0, 350));
        reopened.appendAsLeader(batch(350, 3), 2);
        assertThat(readIds(reopened)).isEqualTo(range(0, 353));
    }

    /** A writer's no-op marker takes one offset, reads as no rows, and its sequence outlives a reopen and a copy. */
    @Test
    void noOpMarkersKeepTheirWritersSequenceInTheLog() {
        BucketLog log = open(config(1 << 20, 512));
        MemoryLogRecords first = batch(0, 3);
        first.batches().forEach(b -> b.restampWriter(5, 0));
        log.appendAsLeader(first, 1);
        LogAppendInfo marker = log.appendAsLeader(marker(5, 1), 1);
        assertThat(marker.firstOffset()).isEqualTo(3);
        assertThat(marker.lastOffset()).isEqualTo(3);
        MemoryLogRecords next = batch(3, 2);
        next.batches().forEach(b -> b.restampWriter(5, 2));
        log.appendAsLeader(next, 1);
        assertThat(log.logEndOffset()).isEqualTo(6);
        assertThat(readIds(log)).containsExactly(0L, 1L, 2L, 3L, 4L);

        BucketLog follower = openAt(dir.resolve("follower"), config(1 << 20, 512));
        follower.appendAsFollower(copy(log.read(0, Integer.MAX_VALUE)));
        log.close();
        for (BucketLog copy : List.of(open(config(1 << 20, 512)), follower)) {
            assertThat(copy.retriedAppend(5, 1)).as("the marker's retry is answered").get()
                    .extracting(LogAppendInfo::firstOffset).isEqualTo(3L);
            assertThat(copy.retriedAppend(5, 3)).as("the writer's next batch is no gap").isEmpty();
        }
    }

    private MemoryLogRecords marker(long writerId, int sequence) {
        try (LogRecordBatchBuilder builder = new LogRecordBatchBuilder(ROW_TYPE, SCHEMA_ID, LogCompression.NONE, false,
                1 << 20, allocator)) {
            builder.setWriterState(writerId, sequence);
            return builder.buildNoOpMarker();
        }
    }

    @Test
    void segmentsRollBySizeAndByAge() {
        LogConfig d = LogConfig.defaults();
        LogConfig config = new LogConfig(8 * 1024, Duration.ofHours(1).toMillis(), 1024, d.maxBatchBytes(),
                d.retentionBytes(), d.retentionMs(), d.flushIntervalRecords(), d.flushIntervalMs());
        BucketLog log = open(config);
        long id = 0;
        int firstSegmentSize = 0;
        while (log.segmentCount() == 1) {
            MemoryLogRecords next = batch(id, 10);
            int size = next.sizeInBytes();
            log.appendAsLeader(next, 0);
            if (log.segmentCount() == 1) {
                firstSegmentSize += size;
            } else {
                // rolled exactly when this batch would have pushed the segment past its size
                assertThat(firstSegmentSize).isLessThanOrEqualTo(8 * 1024);
                assertThat(firstSegmentSize + size).isGreaterThan(8 * 1024);
            }
            id += 10;
        }
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, id - 10);
        // rolling flushed the closed segment and moved the recovery point to the new one
        assertThat(log.recoveryPoint()).isEqualTo(id - 10);

        clock.advance(Duration.ofMinutes(59));
        log.appendAsLeader(batch(1000, 1), 0);
        assertThat(log.segmentCount()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(2));
        log.appendAsLeader(batch(1001, 1), 0);
        assertThat(log.segmentCount()).isEqualTo(3);
    }

    @Test
    void retentionByTimeDeletesOnlyClosedExpiredSegments() {
        LogConfig d = LogConfig.defaults();
        LogConfig config = new LogConfig(4096, d.segmentMaxAgeMs(), 1024, d.maxBatchBytes(), -1,
                Duration.ofHours(2).toMillis(), d.flushIntervalRecords(), d.flushIntervalMs());
        BucketLog log = open(config);
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(i * 5L, 5), 0);
            clock.advance(Duration.ofMinutes(10));
        }
        int before = log.segmentCount();
        assertThat(before).isGreaterThan(3);
        assertThat(log.deleteExpiredSegments()).isGreaterThan(0);
        // every remaining closed segment holds a batch committed within the last two hours
        long cutoff = clock.milliseconds() - Duration.ofHours(2).toMillis();
        assertThat(readIds(log).get(0)).isEqualTo(log.logStartOffset());
        List<LogRecordBatch> first = batches(log.read(log.logStartOffset(), Integer.MAX_VALUE));
        assertThat(first.get(first.size() - 1).commitTimestamp()).isGreaterThanOrEqualTo(cutoff);
        assertThatThrownBy(() -> log.read(0, 100)).isInstanceOf(OffsetOutOfRangeException.class);

        clock.advance(Duration.ofDays(1));
        log.deleteExpiredSegments();
        assertThat(log.segmentCount()).isEqualTo(1); // the active segment always stays
        assertThat(log.logEndOffset()).isEqualTo(150);
    }

    @Test
    void retentionBySizeRespectsTheGuard() {
        LogConfig d = LogConfig.defaults();
        LogConfig config = new LogConfig(4096, d.segmentMaxAgeMs(), 1024, d.maxBatchBytes(), 10_000, 0,
                d.flushIntervalRecords(), d.flushIntervalMs());
        long[] tiered = {0};
        BucketLog log = BucketLog.builder(dir, BUCKET).config(config).clock(clock)
                .retentionGuard(() -> tiered[0]).open();
        opened.add(log);
        for (int i = 0; i < 60; i++) {
            log.appendAsLeader(batch(i * 5L, 5), 0);
        }
        assertThat(log.sizeInBytes()).isGreaterThan(20_000);
        assertThat(log.deleteExpiredSegments()).isZero(); // nothing tiered yet: nothing may go

        long secondSegment = log.segmentBaseOffsets().get(1);
        long thirdSegment = log.segmentBaseOffsets().get(2);
        tiered[0] = thirdSegment; // the first two segments are safely in the lake
        assertThat(log.deleteExpiredSegments()).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(thirdSegment);
        assertThat(secondSegment).isLessThan(thirdSegment);

        tiered[0] = Long.MAX_VALUE;
        log.deleteExpiredSegments();
        assertThat(log.sizeInBytes()).isLessThan(10_000 + 4096);
        assertThat(log.sizeInBytes()).isGreaterThanOrEqualTo(10_000 - 4096);
    }

    @Test
    void timestampLookupFindsTheFirstBatchCommittedAtOrAfter() {
        BucketLog log = open(config(4096, 256));
        List<Long> commitTimes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            commitTimes.add(log.appendAsLeader(batch(i * 3L, 3), 0).commitTimestamp());
            clock.advance(Duration.ofSeconds(1 + i % 3));
        }
        assertThat(log.segmentCount()).isGreaterThan(2);
        for (int i = 0; i < 40; i++) {
            assertThat(log.offsetForTimestamp(commitTimes.get(i))).hasValue(i * 3L);
            assertThat(log.offsetForTimestamp(commitTimes.get(i) - 1)).hasValue(i * 3L);
        }
        assertThat(log.offsetForTimestamp(0)).hasValue(0);
        assertThat(log.offsetForTimestamp(commitTimes.get(39) + 1)).isEmpty();
        log.close();
        BucketLog reopened = open(config(4096, 256));
        assertThat(reopened.offsetForTimestamp(commitTimes.get(20))).hasValue(60);
    }

    @Test
    void truncationKeepsWholeBatchesAndAppendsContinue() {
        BucketLog log = open(config(4096, 256));
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(i * 4L, 4), 0);
        }
        assertThat(log.truncateTo(200)).isEqualTo(120); // nothing to cut beyond the end
        assertThat(log.truncateTo(60)).isEqualTo(60); // a batch boundary
        assertThat(log.truncateTo(58)).isEqualTo(56); // inside a batch: the whole batch goes
        assertThat(readIds(log)).isEqualTo(range(0, 56));
        assertThat(log.recoveryPoint()).isLessThanOrEqualTo(56);
        log.appendAsLeader(batch(56, 4), 1);
        assertThat(readIds(log)).isEqualTo(range(0, 60));

        log.truncateFullyAndStartAt(500);
        assertThat(log.logStartOffset()).isEqualTo(500);
        assertThat(log.logEndOffset()).isEqualTo(500);
        assertThat(log.segmentCount()).isEqualTo(1);
        log.appendAsLeader(batch(0, 2), 1);
        assertThat(log.logEndOffset()).isEqualTo(502);
        log.close();
        assertThat(open(config(4096, 256)).logStartOffset()).isEqualTo(500);
    }

    @Test
    void followersKeepTheLeadersOffsetsAndRejectGaps() {
        BucketLog leader = open(config(1 << 20, 256));
        leader.appendAsLeader(batch(0, 5), 3);
        leader.appendAsLeader(batch(5, 5), 3);
        MemoryLogRecords fromLeader = copy(leader.read(0, Integer.MAX_VALUE));
        leader.close();

        java.nio.file.Path followerDir = dir.resolveSibling(dir.getFileName() + "-follower");
        BucketLog follower = BucketLog.builder(followerDir, BUCKET).clock(clock).open();
        opened.add(follower);
        LogAppendInfo info = follower.appendAsFollower(fromLeader);
        assertThat(info.firstOffset()).isZero();
        assertThat(follower.logEndOffset()).isEqualTo(10);
        assertThat(batches(follower.read(5, 1 << 20)).get(0).leaderEpoch()).isEqualTo(3);
        assertThatThrownBy(() -> follower.appendAsFollower(fromLeader))
                .isInstanceOf(io.thermocline.common.exception.InvalidRecordException.class)
                .hasMessageContaining("batch starts at offset 0 but the log expects 10");
    }

    @Test
    void flushPolicyByRecordsAndByTime() {
        LogConfig d = LogConfig.defaults();
        BucketLog byRecords = open(new LogConfig(1 << 20, d.segmentMaxAgeMs(), 1024, d.maxBatchBytes(), -1, 0, 10, 0));
        byRecords.appendAsLeader(batch(0, 6), 0);
        assertThat(byRecords.recoveryPoint()).isZero();
        byRecords.appendAsLeader(batch(6, 6), 0);
        assertThat(byRecords.recoveryPoint()).isEqualTo(12);
        byRecords.close();

        java.nio.file.Path otherDir = dir.resolveSibling(dir.getFileName() + "-timed");
        BucketLog byTime = BucketLog.builder(otherDir, BUCKET).clock(clock)
                .config(new LogConfig(1 << 20, d.segmentMaxAgeMs(), 1024, d.maxBatchBytes(), -1, 0,
                        Long.MAX_VALUE, 1000))
                .open();
        opened.add(byTime);
        byTime.appendAsLeader(batch(0, 3), 0);
        byTime.maybeFlush();
        assertThat(byTime.recoveryPoint()).isZero();
        clock.advance(Duration.ofSeconds(1));
        byTime.maybeFlush();
        assertThat(byTime.recoveryPoint()).isEqualTo(3);
    }

    static List<LogRecordBatch> batches(LogReadInfo read) {
        List<LogRecordBatch> list = new ArrayList<>();
        read.records().batches().forEach(list::add);
        return list;
    }

    static MemoryLogRecords copy(LogReadInfo read) {
        ByteBuffer out = ByteBuffer.allocate(read.records().sizeInBytes());
        for (LogRecordBatch batch : read.records().batches()) {
            out.put(batch.buffer());
        }
        return MemoryLogRecords.readableRecords(out.flip());
    }
}
