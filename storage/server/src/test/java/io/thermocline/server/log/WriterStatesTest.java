package io.thermocline.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.DuplicateSequenceException;
import io.thermocline.common.exception.OutOfOrderSequenceException;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.MemoryLogRecords;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;

/** Idempotent writers: retried batches appended once, gaps refused, state kept across reopen, crash and truncation. */
class WriterStatesTest extends LogTestBase {

    private MemoryLogRecords batch(long writerId, int sequence, long firstId, int rows) {
        MemoryLogRecords records = batch(firstId, rows);
        for (LogRecordBatch view : records.batches()) {
            view.restampWriter(writerId, sequence);
        }
        return records;
    }

    /** A fresh copy, as a retry brings the same bytes again. */
    private static MemoryLogRecords copy(MemoryLogRecords records) {
        ByteBuffer bytes = ByteBuffer.allocate(records.sizeInBytes());
        bytes.put(records.buffer().duplicate());
        return MemoryLogRecords.readableRecords(bytes.flip());
    }

    @Test
    void aRetriedBatchIsAnsweredWithItsFirstAppend() {
        BucketLog log = open(config(4096, 512));
        MemoryLogRecords first = batch(7, 0, 0, 3);
        MemoryLogRecords retry = copy(first);
        LogAppendInfo appended = log.appendAsLeader(first, 0);
        log.appendAsLeader(batch(8, 0, 100, 2), 0); // another writer in between
        LogAppendInfo again = log.appendAsLeader(retry, 0);
        assertThat(again.firstOffset()).isEqualTo(appended.firstOffset());
        assertThat(again.lastOffset()).isEqualTo(appended.lastOffset());
        assertThat(again.commitTimestamp()).isEqualTo(appended.commitTimestamp());
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(log.appendAsLeader(batch(7, 1, 3, 1), 0).firstOffset()).isEqualTo(5);
        assertThat(readIds(log)).containsExactly(0L, 1L, 2L, 100L, 101L, 3L);
    }

    @Test
    void idleWritersAreForgottenAndTheIdlestGoesFirstPastTheMostKept() {
        BucketLog log = open(config(4096, 512).withWriterLimits(60_000, 2));
        log.appendAsLeader(batch(1, 0, 0, 1), 0);
        clock.advance(Duration.ofSeconds(10));
        log.appendAsLeader(batch(2, 0, 1, 1), 0);
        clock.advance(Duration.ofSeconds(10));
        log.appendAsLeader(batch(1, 1, 2, 1), 0);
        clock.advance(Duration.ofSeconds(1));
        log.appendAsLeader(batch(3, 0, 3, 1), 0); // a third writer: writer 2, the idlest, is forgotten
        assertThatThrownBy(() -> log.appendAsLeader(batch(1, 5, 4, 1), 0))
                .isInstanceOf(OutOfOrderSequenceException.class).hasMessageContaining("writer 1");
        clock.advance(Duration.ofSeconds(1));
        // Writer 2 was forgotten: any sequence is taken as its first (and writer 1 goes now).
        assertThat(log.appendAsLeader(batch(2, 7, 4, 1), 0).firstOffset()).isEqualTo(4);

        clock.advance(Duration.ofMillis(60_001));
        assertThat(log.expireIdleWriters()).isEqualTo(2);
        assertThat(log.appendAsLeader(batch(3, 9, 5, 1), 0).firstOffset()).isEqualTo(5);
        assertThat(log.expireIdleWriters()).isZero();
    }

    @Test
    void aTruncationRebuildsWriterStateFromTheLastRollBelowItNotFromTheLogStart() {
        BucketLog log = open(config(1024, 256));
        int sequence = 0;
        for (long id = 0; id < 200; id++) {
            log.appendAsLeader(batch(7, sequence++, id, 1), 0);
        }
        assertThat(log.segmentCount()).isGreaterThan(3);
        long end = log.logEndOffset();
        int next = sequence;
        log.truncateTo(end - 2);
        assertThat(log.lastWriterScanFrom).as("headers read from a roll near the end, not from the start")
                .isGreaterThan(end / 2).isLessThanOrEqualTo(end - 2);
        // The state is what the log holds: the two truncated batches may come again, a gap may not.
        assertThat(log.appendAsLeader(batch(7, next - 2, 500, 1), 0).firstOffset()).isEqualTo(end - 2);
        assertThat(log.appendAsLeader(batch(7, next - 2, 500, 1), 0).firstOffset()).as("a retry").isEqualTo(end - 2);
        assertThatThrownBy(() -> log.appendAsLeader(batch(7, next + 5, 501, 1), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        // Below every copy kept, the whole log is read again.
        log.truncateTo(3);
        assertThat(log.lastWriterScanFrom).isZero();
        assertThat(log.appendAsLeader(batch(7, 3, 600, 1), 0).firstOffset()).isEqualTo(3);
    }

    @Test
    void aSkippedSequenceIsRefusedNamingWriterAndBucket() {
        BucketLog log = open(config(4096, 512));
        log.appendAsLeader(batch(7, 0, 0, 1), 0);
        assertThatThrownBy(() -> log.appendAsLeader(batch(7, 2, 1, 1), 0))
                .isInstanceOf(OutOfOrderSequenceException.class).hasMessageContaining("writer 7")
                .hasMessageContaining("sequence 2").hasMessageContaining(BUCKET.toString());
        assertThat(log.logEndOffset()).isEqualTo(1);
        // a writer the bucket does not know may start anywhere (its state may have expired)
        assertThat(log.appendAsLeader(batch(9, 41, 1, 1), 0).firstOffset()).isEqualTo(1);
    }

    @Test
    void aSequenceOlderThanTheBatchesKeptIsADuplicateNotAGap() {
        BucketLog log = open(config(4096, 512));
        for (int seq = 0; seq < WriterStates.BATCHES_KEPT + 3; seq++) {
            log.appendAsLeader(batch(7, seq, seq, 1), 0);
        }
        long end = log.logEndOffset();
        assertThatThrownBy(() -> log.appendAsLeader(batch(7, 1, 1, 1), 0))
                .isInstanceOf(DuplicateSequenceException.class).hasMessageContaining("writer 7")
                .hasMessageContaining("sequence 1").hasMessageContaining("appended before");
        assertThat(log.logEndOffset()).isEqualTo(end);
    }

    @Test
    void stateSurvivesACleanReopenACrashAndATruncation() throws Exception {
        BucketLog log = open(config(1024, 256));
        for (int seq = 0; seq < 20; seq++) {
            log.appendAsLeader(batch(7, seq, seq * 2L, 2), 0);
        }
        MemoryLogRecords retryOfLast = batch(7, 19, 38, 2);
        log.close();
        BucketLog reopened = open(config(1024, 256)); // from the snapshot written at close
        assertThat(reopened.appendAsLeader(copy(retryOfLast), 0).firstOffset()).isEqualTo(38);
        reopened.appendAsLeader(batch(7, 20, 40, 2), 0);

        // a crash leaves no snapshot: the state comes from the batch headers
        assertThat(Files.exists(dir.resolve(LogFiles.WRITER_STATE_SNAPSHOT))).isFalse();
        BucketLog afterCrash = open(config(1024, 256));
        assertThat(afterCrash.appendAsLeader(batch(7, 20, 40, 2), 0).firstOffset()).isEqualTo(40);

        // truncation forgets the batches it removed: their sequences may be appended again
        afterCrash.truncateTo(38);
        assertThat(afterCrash.appendAsLeader(batch(7, 19, 38, 2), 0).firstOffset()).isEqualTo(38);
        assertThatThrownBy(() -> afterCrash.appendAsLeader(batch(7, 21, 40, 2), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void followersLearnWriterStateFromTheBatchesTheyCopy() {
        BucketLog leader = open(config(4096, 512));
        MemoryLogRecords first = batch(7, 0, 0, 2);
        MemoryLogRecords retry = copy(first);
        leader.appendAsLeader(first, 3);
        BucketLog follower = openAt(dir.resolve("follower"), config(4096, 512));
        follower.appendAsFollower(((FileLogRecords) leader.read(0, Integer.MAX_VALUE).records()).toMemory());
        // the follower, now leading, answers the writer's retry without appending it again
        assertThat(follower.appendAsLeader(retry, 4).firstOffset()).isZero();
        assertThat(follower.logEndOffset()).isEqualTo(2);
    }
}
