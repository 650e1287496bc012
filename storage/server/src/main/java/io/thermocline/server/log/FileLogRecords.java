package io.thermocline.server.log;

import static io.thermocline.common.internal.record.LogRecordBatchFormat.HEADER_SIZE;
import static io.thermocline.common.internal.record.LogRecordBatchFormat.LENGTH_OFFSET;
import static io.thermocline.common.internal.record.LogRecordBatchFormat.LOG_OVERHEAD;
import static io.thermocline.common.internal.record.LogRecordBatchFormat.SCHEMA_ID_OFFSET;

import io.thermocline.common.exception.ThermoclineStorageException;
import io.thermocline.common.internal.record.SchemaProjection;
import io.thermocline.common.internal.record.ByteSource;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecords;
import io.thermocline.common.internal.record.MemoryLogRecords;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Batches in a segment file, or a slice of one: what a read returns. A slice is a fixed window
 * of a file that only grows at its end, so it stays valid while appends go on; reading it after
 * its segment was deleted fails with {@link ThermoclineStorageException}. The channel is exposed
 * for zero-copy transfer to the network.
 */
public final class FileLogRecords implements LogRecords {
    private final Path file;
    private final FileChannel channel;
    private final int start;
    private final int size;

    FileLogRecords(Path file, FileChannel channel, int start, int size) {
        this.file = file;
        this.channel = channel;
        this.start = start;
        this.size = size;
    }

    public Path file() {
        return file;
    }

    public FileChannel channel() {
        return channel;
    }

    /** Position of the first byte in the file. */
    public int start() {
        return start;
    }

    @Override
    public int sizeInBytes() {
        return size;
    }

    /** Reads every batch into heap memory; for decoding on the server or in tests. */
    @Override
    public Iterable<LogRecordBatch> batches() {
        return () -> iterate(this::readBatch);
    }

    /**
     * Views of each batch's fixed header only (offsets, epoch, writer id, sequence), read without
     * the body: for rebuilding state that lives in headers. The views are not valid batches.
     */
    public Iterable<LogRecordBatch> batchHeaders() {
        return () -> iterate(this::readHeader);
    }

    /** Walks the batches, reading each at its position with {@code read}. */
    private Iterator<LogRecordBatch> iterate(java.util.function.IntFunction<ByteBuffer> read) {
        return new Iterator<>() {
            private int position = start;

            @Override
            public boolean hasNext() {
                return position < start + size;
            }

            @Override
            public LogRecordBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ByteBuffer bytes = read.apply(position);
                position += LOG_OVERHEAD + bytes.getInt(bytes.position() + LENGTH_OFFSET);
                return new LogRecordBatch(bytes);
            }
        };
    }

    /** The bytes of these batches in heap memory, e.g. to append them elsewhere. */
    public MemoryLogRecords toMemory() {
        ByteBuffer bytes = ByteBuffer.allocate(size);
        try {
            readFully(channel, start, bytes);
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot read " + file + " at position " + start, e);
        }
        return MemoryLogRecords.readableRecords(bytes.flip());
    }

    /**
     * The batches projected to some columns (each by its own schema), read with one positional
     * read per column span: only the bytes the projection keeps leave the page cache.
     */
    public MemoryLogRecords project(SchemaProjection projection) {
        ByteBuffer out = null;
        int position = start;
        try {
            while (position < start + size) {
                int batchStart = position;
                ByteBuffer header = readHeader(batchStart);
                int batchSize = LOG_OVERHEAD + header.getInt(LENGTH_OFFSET);
                MemoryLogRecords projected = projection.forSchema(header.getInt(SCHEMA_ID_OFFSET)).project(new ByteSource() {
                    @Override
                    public int size() {
                        return batchSize;
                    }

                    @Override
                    public void readFully(int at, ByteBuffer dst) throws IOException {
                        FileLogRecords.readFully(channel, batchStart + (long) at, dst);
                    }
                });
                out = append(out, projected.buffer());
                position += batchSize;
            }
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot read " + file + " at position " + position, e);
        }
        return out == null ? MemoryLogRecords.EMPTY : MemoryLogRecords.readableRecords(out.flip());
    }

    private static ByteBuffer append(ByteBuffer out, ByteBuffer bytes) {
        if (out == null) {
            out = ByteBuffer.allocate(Math.max(bytes.remaining() * 4, 1024));
        } else if (out.remaining() < bytes.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + bytes.remaining()));
            bigger.put(out.flip());
            out = bigger;
        }
        return out.put(bytes);
    }

    /** The header of the batch at an absolute file position; fewer bytes near the end of file. */
    ByteBuffer readHeader(int position) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (header.hasRemaining()) {
                if (channel.read(header, position + header.position()) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot read " + file + " at position " + position, e);
        }
        return header.flip();
    }

    /** The whole batch at an absolute file position, as a little-endian heap buffer. */
    ByteBuffer readBatch(int position) {
        int length = LOG_OVERHEAD + readHeader(position).getInt(LENGTH_OFFSET);
        ByteBuffer batch = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        try {
            readFully(channel, position, batch);
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot read " + file + " at position " + position, e);
        }
        return batch.flip();
    }

    static void readFully(FileChannel channel, long position, ByteBuffer dst) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                throw new java.io.EOFException("End of file at position " + at);
            }
            at += n;
        }
    }

    @Override
    public String toString() {
        return "FileLogRecords(" + file.getFileName() + ", start=" + start + ", size=" + size + ")";
    }
}
