package io.thermocline.server.log;

import io.thermocline.common.exception.DuplicateSequenceException;
import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.OutOfOrderSequenceException;
import io.thermocline.common.exception.ThermoclineStorageException;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordBatchFormat;
import io.thermocline.common.metadata.TableBucket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What idempotent writers last appended to one bucket: per writer id, its latest batches with
 * their sequence numbers and offsets. A retried batch (a sequence already appended) is answered
 * with its first append's offsets instead of being appended twice; a batch that skips a sequence
 * is refused. Built from batch headers, so followers hold the same state as their leader and a
 * new leader keeps deduplicating. A snapshot (written when a segment rolls and when the log
 * closes) spares a restart from reading every header.
 *
 * <p>Snapshot format, text lines: {@code 0} (version), the log offset it covers, then
 * {@code writerId sequence baseOffset lastOffset commitTimestamp} per kept batch.
 *
 * <p>Bounded: a writer idle for longer than the idle time is forgotten (its latest batch's commit
 * time says when it last wrote), and past the most writers kept the idlest one is forgotten first.
 * A forgotten writer that returns is taken as new: only a retry older than the idle time could
 * then be appended twice.
 */
final class WriterStates {
    /** Batches kept per writer: more than a writer ever has in flight per bucket. */
    static final int BATCHES_KEPT = 5;
    private static final String VERSION = "0";

    /** One appended batch of a writer. */
    record Appended(int sequence, long baseOffset, long lastOffset, long commitTimestamp) {}

    private final Map<Long, Deque<Appended>> writers = new HashMap<>();
    private final int maxWriters;

    WriterStates(int maxWriters) {
        this.maxWriters = maxWriters;
    }

    /**
     * The earlier append of this batch if it is a retry, empty if it is the writer's next (or the
     * first this bucket knows of). Throws {@link OutOfOrderSequenceException} when it skips
     * sequences, and {@link DuplicateSequenceException} when it is older than the batches kept.
     */
    Optional<Appended> check(TableBucket bucket, long writerId, int sequence) {
        Deque<Appended> batches = writers.get(writerId);
        if (batches == null || batches.isEmpty()) {
            return Optional.empty();
        }
        int last = batches.peekLast().sequence();
        if (sequence == last + 1) {
            return Optional.empty();
        }
        for (Appended appended : batches) {
            if (appended.sequence() == sequence) {
                return Optional.of(appended);
            }
        }
        if (sequence < batches.peekFirst().sequence()) {
            throw new DuplicateSequenceException(bucket + ": writer " + writerId + " sent batch sequence " + sequence
                    + ", older than the batches kept (" + batches.peekFirst().sequence() + " to " + last
                    + "): it was appended before");
        }
        throw new OutOfOrderSequenceException(bucket + ": writer " + writerId + " sent batch sequence " + sequence
                + " but its last appended batch is " + last + "; a batch in between is missing");
    }

    /**
     * Checks the idempotent writers' sequences of one append at {@code logEnd}. A single retried
     * batch yields its earlier append; a retried batch among new ones, or a gap, is refused.
     */
    Optional<Appended> checkAppend(TableBucket bucket, List<LogRecordBatch> batches, long logEnd) {
        long previousWriter = LogRecordBatchFormat.NO_WRITER_ID;
        int previousSequence = 0;
        for (LogRecordBatch batch : batches) {
            if (batch.writerId() == LogRecordBatchFormat.NO_WRITER_ID) {
                continue;
            }
            if (batch.writerId() == previousWriter) {
                if (batch.batchSequence() != previousSequence + 1) {
                    throw new OutOfOrderSequenceException(bucket + ": writer " + batch.writerId() + " sent sequences "
                            + previousSequence + " and " + batch.batchSequence() + " in one append");
                }
            } else {
                Optional<Appended> retried = check(bucket, batch.writerId(),
                        batch.batchSequence());
                if (retried.isPresent()) {
                    if (batches.size() == 1) {
                        return retried;
                    }
                    throw new InvalidRecordException(bucket, logEnd, "an append mixes a retried batch (writer "
                            + batch.writerId() + " sequence " + batch.batchSequence() + ") with new ones");
                }
            }
            previousWriter = batch.writerId();
            previousSequence = batch.batchSequence();
        }
        return Optional.empty();
    }

    /** Records a batch of a writer, from a leader's append, a follower's copy, or a scan of the log. */
    void record(LogRecordBatch batch) {
        if (batch.writerId() == LogRecordBatchFormat.NO_WRITER_ID) {
            return;
        }
        record(batch.writerId(), new Appended(batch.batchSequence(), batch.baseOffset(), batch.lastOffset(),
                batch.commitTimestamp()));
    }

    private void record(long writerId, Appended appended) {
        Deque<Appended> batches = writers.get(writerId);
        if (batches == null) {
            if (writers.size() >= maxWriters) {
                forgetIdlest();
            }
            batches = new ArrayDeque<>();
            writers.put(writerId, batches);
        }
        batches.addLast(appended);
        while (batches.size() > BATCHES_KEPT) {
            batches.removeFirst();
        }
    }

    private void forgetIdlest() {
        Long idlest = null;
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<Long, Deque<Appended>> writer : writers.entrySet()) {
            long last = writer.getValue().peekLast().commitTimestamp();
            if (last < oldest) {
                oldest = last;
                idlest = writer.getKey();
            }
        }
        writers.remove(idlest);
    }

    /** Forgets writers whose latest batch was committed before {@code cutoffMs}; returns how many. */
    int expire(long cutoffMs) {
        int before = writers.size();
        writers.values().removeIf(batches -> batches.peekLast().commitTimestamp() < cutoffMs);
        return before - writers.size();
    }

    void clear() {
        writers.clear();
    }

    /** A copy that later records do not change. */
    WriterStates copy() {
        WriterStates copy = new WriterStates(maxWriters);
        writers.forEach((writerId, batches) -> copy.writers.put(writerId, new ArrayDeque<>(batches)));
        return copy;
    }

    /** Becomes what {@code other} holds (which it leaves as it is). */
    void restore(WriterStates other) {
        writers.clear();
        other.writers.forEach((writerId, batches) -> writers.put(writerId, new ArrayDeque<>(batches)));
    }

    int writerCount() {
        return writers.size();
    }

    /** Writes the state as of {@code offset} (the log end) atomically. */
    void writeSnapshot(Path dir, long offset) {
        StringBuilder text = new StringBuilder(VERSION).append('\n').append(offset).append('\n');
        writers.forEach((writerId, batches) -> batches.forEach(b -> text.append(writerId).append(' ')
                .append(b.sequence()).append(' ').append(b.baseOffset()).append(' ').append(b.lastOffset()).append(' ')
                .append(b.commitTimestamp()).append('\n')));
        LogFiles.writeAtomically(dir.resolve(LogFiles.WRITER_STATE_SNAPSHOT), text.toString());
    }

    /**
     * Loads the snapshot if there is one no later than {@code logEnd}; returns the offset from which
     * the log must still be scanned (the log start when there is no usable snapshot).
     */
    long loadSnapshot(Path dir, long logStart, long logEnd) {
        writers.clear();
        Path file = dir.resolve(LogFiles.WRITER_STATE_SNAPSHOT);
        if (!Files.exists(file)) {
            return logStart;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            long offset = Long.parseLong(lines.get(1).trim());
            if (!lines.get(0).equals(VERSION) || offset > logEnd || offset < logStart) {
                return logStart;
            }
            for (String line : lines.subList(2, lines.size())) {
                String[] parts = line.trim().split(" ");
                record(Long.parseLong(parts[0]), new Appended(Integer.parseInt(parts[1]), Long.parseLong(parts[2]),
                        Long.parseLong(parts[3]), Long.parseLong(parts[4])));
            }
            return offset;
        } catch (IOException | RuntimeException e) {
            writers.clear();
            return logStart; // unreadable: rebuild from the log
        }
    }

    static void deleteSnapshot(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(LogFiles.WRITER_STATE_SNAPSHOT));
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot delete writer state snapshot in " + dir, e);
        }
    }
}
