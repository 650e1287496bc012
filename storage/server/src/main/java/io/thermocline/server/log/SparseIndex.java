package io.thermocline.server.log;

import io.thermocline.common.exception.ThermoclineStorageException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A sparse index file of (long key, int value) entries with strictly increasing keys and
 * non-decreasing values, mirrored in memory for binary search. The offset index maps batch base
 * offsets to file positions; the time index maps commit timestamps to offsets relative to the
 * segment. Entries are derived data: a missing or damaged file is rebuilt from the log, and the
 * log rebuilds the indexes of every segment after its recovery point anyway. So new entries stay
 * in memory and reach the file in one write when the segment is flushed or closed, which keeps
 * index writes off the append path. Mutations are synchronized (the flusher thread may flush a
 * closed segment while the log truncates); lookups take no lock.
 *
 * <p>File format: entries of 12 bytes, key int64 then value int32, little-endian, no header.
 */
final class SparseIndex implements Closeable {
    static final int ENTRY_SIZE = 12;

    private final Path file;
    private final FileChannel channel;
    private volatile long[] keys;
    private volatile int[] values;
    private volatile int entries;
    /** Entries already written to the file. */
    private int persisted;

    private SparseIndex(Path file, FileChannel channel, long[] keys, int[] values, int entries) {
        this.file = file;
        this.channel = channel;
        this.keys = keys;
        this.values = values;
        this.entries = entries;
        this.persisted = entries;
    }

    /**
     * Opens (or creates) the index. Returns null when the file holds no well-formed index: a size
     * that is not a multiple of the entry size, or keys or values out of order.
     */
    static SparseIndex openIfSane(Path file) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long size = channel.size();
            if (size % ENTRY_SIZE != 0 || size > Integer.MAX_VALUE) {
                channel.close();
                return null;
            }
            int n = (int) (size / ENTRY_SIZE);
            ByteBuffer bytes = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
            while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
                // read until full
            }
            bytes.flip();
            long[] keys = new long[Math.max(16, n)];
            int[] values = new int[Math.max(16, n)];
            for (int i = 0; i < n; i++) {
                keys[i] = bytes.getLong();
                values[i] = bytes.getInt();
                if (i > 0 && (keys[i] <= keys[i - 1] || values[i] < values[i - 1])) {
                    channel.close();
                    return null;
                }
            }
            return new SparseIndex(file, channel, keys, values, n);
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot open index " + file, e);
        }
    }

    /** A new, empty index, replacing any file at that path. */
    static SparseIndex createEmpty(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot replace index " + file, e);
        }
        return openIfSane(file);
    }

    int entries() {
        return entries;
    }

    long keyAt(int i) {
        return keys[i];
    }

    int valueAt(int i) {
        return values[i];
    }

    long lastKey() {
        return entries == 0 ? Long.MIN_VALUE : keys[entries - 1];
    }

    /** Index of the last entry whose key is at most {@code key}, or -1. */
    int floor(long key) {
        int n = entries; // read before the array: a grown array is published before the count
        long[] k = keys;
        int pos = Arrays.binarySearch(k, 0, n, key);
        return pos >= 0 ? pos : -pos - 2;
    }

    synchronized void append(long key, int value) {
        int n = entries;
        if (n > 0 && (key <= keys[n - 1] || value < values[n - 1])) {
            throw new IllegalStateException("Index " + file + " entry (" + key + ", " + value
                    + ") is not after the last entry (" + keys[n - 1] + ", " + values[n - 1] + ")");
        }
        if (n == keys.length) {
            // Readers see either the old arrays or the new ones, both holding the first n entries.
            keys = Arrays.copyOf(keys, n * 2);
            values = Arrays.copyOf(values, n * 2);
        }
        keys[n] = key;
        values[n] = value;
        entries = n + 1;
    }

    /** Writes the entries not yet in the file. */
    private void writePending() {
        int n = entries;
        if (persisted == n) {
            return;
        }
        ByteBuffer pending = ByteBuffer.allocate((n - persisted) * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = persisted; i < n; i++) {
            pending.putLong(keys[i]).putInt(values[i]);
        }
        pending.flip();
        try {
            long position = (long) persisted * ENTRY_SIZE;
            while (pending.hasRemaining()) {
                position += channel.write(pending, position);
            }
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot write index " + file, e);
        }
        persisted = n;
    }

    /** Drops every entry whose value is at least {@code value}. */
    synchronized void truncateFromValue(int value) {
        int keep = 0;
        while (keep < entries && values[keep] < value) {
            keep++;
        }
        truncateToEntries(keep);
    }

    private synchronized void truncateToEntries(int keep) {
        if (keep < persisted) {
            try {
                channel.truncate((long) keep * ENTRY_SIZE);
            } catch (IOException e) {
                throw new ThermoclineStorageException("Cannot truncate index " + file, e);
            }
            persisted = keep;
        }
        entries = keep;
    }

    synchronized void flush() {
        writePending();
        try {
            channel.force(true);
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot flush index " + file, e);
        }
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        close(true);
    }

    /** Closes the file, writing pending entries first unless the index is about to be deleted. */
    synchronized void close(boolean writePending) {
        try {
            if (writePending && channel.isOpen()) {
                writePending();
            }
            channel.close();
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot close index " + file, e);
        }
    }
}
