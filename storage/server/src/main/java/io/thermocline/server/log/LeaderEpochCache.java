package io.thermocline.server.log;

import io.thermocline.common.exception.ThermoclineStorageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which leader epoch wrote which offsets of a bucket: the start offset of every epoch, ascending.
 * A follower that rejoins asks the leader where its own last epoch ends and truncates there, so
 * an offset never holds two different records on two replicas (KIP-101 style). Changed only by
 * the log under its lock, and written through to disk before the change is used, so that a crash
 * cannot leave batches of an epoch the file does not know.
 *
 * <p>File format, text lines: {@code 0} (version), the entry count, then {@code epoch offset}
 * per entry.
 */
public final class LeaderEpochCache {
    private static final String VERSION = "0";

    /** An epoch and the first offset it wrote. */
    public record Entry(int epoch, long startOffset) {}

    /** The answer to "where does epoch E end": the largest known epoch at most E, and its end offset. */
    public record EpochEnd(int epoch, long endOffset) {
        public static final EpochEnd UNDEFINED = new EpochEnd(-1, -1);
    }

    private final Path file;
    private final List<Entry> entries = new ArrayList<>();

    private LeaderEpochCache(Path file) {
        this.file = file;
    }

    /**
     * Loads the cache of a log holding {@code [logStart, logEnd)}. A log from before epochs were
     * recorded was written by epoch 0 alone.
     */
    static LeaderEpochCache load(Path dir, long logStart, long logEnd) {
        LeaderEpochCache cache = new LeaderEpochCache(dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT));
        if (Files.exists(cache.file)) {
            cache.read();
        } else if (logEnd > logStart) {
            cache.entries.add(new Entry(0, logStart));
            cache.write();
        }
        cache.truncateFromEnd(logEnd);
        cache.truncateFromStart(logStart);
        return cache;
    }

    private void read() {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || !lines.get(0).equals(VERSION)) {
                throw new ThermoclineStorageException("Leader epoch file " + file + " has an unknown format", null);
            }
            int count = Integer.parseInt(lines.get(1).trim());
            for (int i = 0; i < count; i++) {
                String[] parts = lines.get(2 + i).trim().split(" ");
                entries.add(new Entry(Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
            }
        } catch (IOException | RuntimeException e) {
            throw new ThermoclineStorageException("Cannot read leader epoch file " + file + ": " + e.getMessage(), e);
        }
    }

    private void write() {
        StringBuilder text = new StringBuilder(VERSION).append('\n').append(entries.size()).append('\n');
        for (Entry entry : entries) {
            text.append(entry.epoch()).append(' ').append(entry.startOffset()).append('\n');
        }
        LogFiles.writeAtomically(file, text.toString());
    }

    /** Records that {@code epoch} starts writing at {@code startOffset}; older or equal epochs are ignored. */
    void assign(int epoch, long startOffset) {
        if (!entries.isEmpty()) {
            Entry last = entries.get(entries.size() - 1);
            if (epoch <= last.epoch()) {
                return;
            }
            // An epoch that wrote nothing is forgotten: the next one starts where it would have.
            while (!entries.isEmpty() && entries.get(entries.size() - 1).startOffset() >= startOffset) {
                entries.remove(entries.size() - 1);
            }
        }
        entries.add(new Entry(epoch, startOffset));
        write();
    }

    /** Forgets epochs that start at or after {@code logEnd} (after a truncation). */
    void truncateFromEnd(long logEnd) {
        boolean changed = false;
        while (!entries.isEmpty() && entries.get(entries.size() - 1).startOffset() >= logEnd) {
            entries.remove(entries.size() - 1);
            changed = true;
        }
        if (changed) {
            write();
        }
    }

    /** Moves the first epoch's start up to the new log start (after retention). */
    void truncateFromStart(long logStart) {
        boolean changed = false;
        while (entries.size() > 1 && entries.get(1).startOffset() <= logStart) {
            entries.remove(0);
            changed = true;
        }
        if (!entries.isEmpty() && entries.get(0).startOffset() < logStart) {
            entries.set(0, new Entry(entries.get(0).epoch(), logStart));
            changed = true;
        }
        if (changed) {
            write();
        }
    }

    void clear() {
        if (!entries.isEmpty()) {
            entries.clear();
            write();
        }
    }

    /** The latest epoch, or -1 when the log holds nothing. */
    int latestEpoch() {
        return entries.isEmpty() ? -1 : entries.get(entries.size() - 1).epoch();
    }

    /**
     * Where {@code epoch} ends: the largest known epoch at most {@code epoch} and the start of the
     * epoch after it, or {@code logEnd} when it is the latest. Undefined when every known epoch is
     * newer.
     */
    EpochEnd endOf(int epoch, long logEnd) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry entry = entries.get(i);
            if (entry.epoch() <= epoch) {
                long end = i == entries.size() - 1 ? logEnd : entries.get(i + 1).startOffset();
                return new EpochEnd(entry.epoch(), end);
            }
        }
        return EpochEnd.UNDEFINED;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }
}
