package io.thermocline.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.internal.record.LogRecordBatch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Crash recovery: logs are abandoned without close, damaged on disk, and reopened. */
class BucketLogRecoveryTest extends LogTestBase {

    /**
     * Ten rounds: write batches over several segments, crash, overwrite a random segment with
     * garbage from a random byte of a random batch to its end, reopen. Exactly the batches before
     * the damage survive, later segments are gone, and appends continue from there.
     */
    @Test
    void garbageFromARandomPositionKeepsExactlyTheBatchesBefore() throws IOException {
        Random random = new Random(20261123);
        Path root = dir;
        for (int round = 0; round < 10; round++) {
            dir = Files.createDirectory(root.resolve("round" + round));
            BucketLog log = open(config(16 * 1024, 1024));
            List<long[]> batches = new ArrayList<>(); // base offset, segment base, position, size
            long id = 0;
            int count = 40 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                int rows = 1 + random.nextInt(20);
                log.appendAsLeader(batch(id, rows), 0);
                id += rows;
            }
            for (long segmentBase : log.segmentBaseOffsets()) {
                int position = 0;
                for (LogRecordBatch batch : log.read(segmentBase, Integer.MAX_VALUE).records().batches()) {
                    batches.add(new long[] {batch.baseOffset(), segmentBase, position, batch.sizeInBytes()});
                    position += batch.sizeInBytes();
                }
            }
            // Crash: no close. Half the rounds also lose the recovery checkpoint, so that damage
            // in an old segment must be found too; the others damage the unflushed active segment.
            boolean fullRecovery = round % 2 == 0;
            if (fullRecovery) {
                Files.delete(dir.resolve(LogFiles.RECOVERY_CHECKPOINT));
            }
            List<long[]> candidates = new ArrayList<>();
            long activeBase = log.segmentBaseOffsets().get(log.segmentCount() - 1);
            for (long[] b : batches) {
                if (fullRecovery || b[1] == activeBase) {
                    candidates.add(b);
                }
            }
            long[] victim = candidates.get(random.nextInt(candidates.size()));
            Path segmentFile = dir.resolve(LogFiles.logFileName(victim[1]));
            long damageAt = victim[2] + random.nextInt((int) victim[3]);
            writeGarbage(segmentFile, damageAt, random);

            BucketLog recovered = open(config(16 * 1024, 1024));
            String context = "round " + round + ": damage at byte " + damageAt + " of segment " + victim[1]
                    + " in the batch at offset " + victim[0];
            assertThat(recovered.logEndOffset()).as(context).isEqualTo(victim[0]);
            assertThat(readIds(recovered)).as(context).isEqualTo(range(0, victim[0]));
            assertThat(recovered.segmentBaseOffsets().get(recovered.segmentCount() - 1)).as(context)
                    .isLessThanOrEqualTo(victim[0]);
            recovered.appendAsLeader(batch(victim[0], 5), 1);
            assertThat(readIds(recovered)).as(context).isEqualTo(range(0, victim[0] + 5));
        }
    }

    @Test
    void aTornTailIsCutAndALogWithoutCheckpointIsFullyValidated() throws IOException {
        BucketLog log = open(config(1 << 20, 512));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(i * 10L, 10), 0);
        }
        Path segment = dir.resolve(LogFiles.logFileName(0));
        long size = Files.size(segment);
        // a write that stopped half-way: the file ends in the middle of a batch
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(size - 17);
        }
        BucketLog recovered = open(config(1 << 20, 512));
        assertThat(recovered.logEndOffset()).isEqualTo(90);
        assertThat(readIds(recovered)).isEqualTo(range(0, 90));
        assertThat(recovered.recoveryPoint()).isEqualTo(90);
    }

    @Test
    void deletedOrCorruptIndexesAreRebuiltIdentically() throws IOException {
        BucketLog log = open(config(8 * 1024, 512));
        for (int i = 0; i < 60; i++) {
            log.appendAsLeader(batch(i * 5L, 5), 0);
        }
        log.close();
        List<Long> bases = log.segmentBaseOffsets();
        assertThat(bases.size()).isGreaterThan(3);
        Path deletedIndex = dir.resolve(LogFiles.offsetIndexFileName(bases.get(0)));
        Path corruptIndex = dir.resolve(LogFiles.offsetIndexFileName(bases.get(1)));
        Path tornTimeIndex = dir.resolve(LogFiles.timeIndexFileName(bases.get(2)));
        byte[] deletedBytes = Files.readAllBytes(deletedIndex);
        byte[] corruptBytes = Files.readAllBytes(corruptIndex);
        byte[] tornBytes = Files.readAllBytes(tornTimeIndex);
        assertThat(corruptBytes.length).isGreaterThan(2 * SparseIndex.ENTRY_SIZE);

        Files.delete(deletedIndex);
        byte[] damaged = corruptBytes.clone();
        damaged[SparseIndex.ENTRY_SIZE + 8] = (byte) 0x7F; // a position far past the segment end
        damaged[SparseIndex.ENTRY_SIZE + 11] = (byte) 0x7F;
        Files.write(corruptIndex, damaged);
        Files.write(tornTimeIndex, java.util.Arrays.copyOf(tornBytes, tornBytes.length - 5));

        BucketLog reopened = open(config(8 * 1024, 512));
        assertThat(Files.readAllBytes(deletedIndex)).isEqualTo(deletedBytes);
        assertThat(Files.readAllBytes(corruptIndex)).isEqualTo(corruptBytes);
        assertThat(Files.readAllBytes(tornTimeIndex)).isEqualTo(tornBytes);
        assertThat(readIds(reopened)).isEqualTo(range(0, 300));
        for (long offset = 0; offset < 300; offset += 7) {
            LogRecordBatch first = reopened.read(offset, 1).records().batches().iterator().next();
            assertThat(first.baseOffset()).isLessThanOrEqualTo(offset);
            assertThat(first.lastOffset()).isGreaterThanOrEqualTo(offset);
        }
    }

    @Test
    void strayFilesFromAnInterruptedDeletionAreIgnored() throws IOException {
        BucketLog log = open(config(1 << 20, 512));
        log.appendAsLeader(batch(0, 3), 0);
        log.close();
        Files.write(dir.resolve(LogFiles.offsetIndexFileName(12345)), new byte[24]);
        Files.write(dir.resolve(LogFiles.RECOVERY_CHECKPOINT + ".tmp"), new byte[] {1, 2});
        Files.write(dir.resolve(LogFiles.RECOVERY_CHECKPOINT), "garbage".getBytes());
        BucketLog reopened = open(config(1 << 20, 512));
        assertThat(readIds(reopened)).isEqualTo(range(0, 3));
        assertThat(Files.exists(dir.resolve(LogFiles.offsetIndexFileName(12345)))).isFalse();
        assertThat(Files.exists(dir.resolve(LogFiles.RECOVERY_CHECKPOINT + ".tmp"))).isFalse();
    }

    @Test
    void backgroundFlushesRaceTruncationAndRetentionSafely() throws Exception {
        java.util.concurrent.ExecutorService flusher = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var d = LogConfig.defaults();
            LogConfig config = new LogConfig(2048, d.segmentMaxAgeMs(), 256, d.maxBatchBytes(), 16 * 1024, 0,
                    d.flushIntervalRecords(), d.flushIntervalMs());
            BucketLog log = BucketLog.builder(dir, BUCKET).config(config).clock(clock).flushExecutor(flusher).open();
            opened.add(log);
            Random random = new Random(5);
            long nextId = 0;
            for (int i = 0; i < 400; i++) {
                nextId = log.logEndOffset();
                log.appendAsLeader(batch(nextId, 1 + random.nextInt(8)), 0);
                if (i % 25 == 24) {
                    log.truncateTo(log.logEndOffset() - random.nextInt(20));
                }
                if (i % 40 == 39) {
                    log.deleteExpiredSegments();
                }
                assertThat(log.recoveryPoint()).isLessThanOrEqualTo(log.logEndOffset());
            }
            flusher.shutdown();
            assertThat(flusher.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            long start = log.logStartOffset();
            long end = log.logEndOffset();
            assertThat(start).isPositive();
            log.close();
            BucketLog reopened = open(config);
            assertThat(reopened.logStartOffset()).isEqualTo(start);
            assertThat(reopened.logEndOffset()).isEqualTo(end);
            assertThat(readIds(reopened)).isEqualTo(range(start, end));
        } finally {
            flusher.shutdownNow();
        }
    }

    @Test
    void dumpReportsDamageWithoutChangingAnything() throws IOException {
        BucketLog log = open(config(1 << 20, 512));
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(i * 10L, 10), 0);
        }
        log.close();
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        assertThat(LogDump.dump(dir, new java.io.PrintStream(text, true))).isZero();
        assertThat(text.toString()).contains("offsets 40-49 records 10").contains("5 batches, 50 records, 0 invalid");

        Path segment = dir.resolve(LogFiles.logFileName(0));
        writeGarbage(segment, Files.size(segment) - 3, new Random(1));
        byte[] before = Files.readAllBytes(segment);
        text.reset();
        assertThat(LogDump.dump(dir, new java.io.PrintStream(text, true))).isEqualTo(1);
        assertThat(text.toString()).contains("INVALID").contains("CRC mismatch").contains("4 batches, 40 records, 1 invalid");
        assertThat(Files.readAllBytes(segment)).isEqualTo(before);
    }

    private static void writeGarbage(Path file, long from, Random random) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            byte[] garbage = new byte[(int) (length - from)];
            random.nextBytes(garbage);
            raf.seek(from);
            int original = raf.read();
            // The first garbage byte must differ, or the batch could survive untouched.
            garbage[0] = (byte) (original ^ (1 + random.nextInt(255)));
            raf.seek(from);
            raf.write(garbage);
        }
    }
}
