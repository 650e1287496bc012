package io.thermocline.server.log;

import static io.thermocline.common.internal.record.LogRecordBatchFormat.LENGTH_OFFSET;
import static io.thermocline.common.internal.record.LogRecordBatchFormat.LOG_OVERHEAD;

import io.thermocline.common.internal.record.BatchDefect;
import io.thermocline.common.internal.record.LogRecordBatch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Prints and validates every batch of a bucket log directory, opening files read-only: safe on
 * the log of a running server, and it never recovers or changes anything.
 */
public final class LogDump {
    private LogDump() {}

    /** @return the number of invalid batches found (each segment stops at its first) */
    public static int dump(Path dir, PrintStream out) throws IOException {
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(f -> LogFiles.baseOffsetOf(f.getFileName().toString(), LogFiles.LOG_SUFFIX).isPresent())
                    .sorted()
                    .collect(Collectors.toList());
        }
        long batches = 0;
        long records = 0;
        int invalid = 0;
        for (Path segment : segments) {
            OptionalLong base = LogFiles.baseOffsetOf(segment.getFileName().toString(), LogFiles.LOG_SUFFIX);
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
                long size = channel.size();
                out.printf("Segment %s: base offset %d, %d bytes%n", segment.getFileName(), base.getAsLong(), size);
                FileLogRecords file = new FileLogRecords(segment, channel, 0, (int) Math.min(size, Integer.MAX_VALUE));
                int position = 0;
                while (position < size) {
                    ByteBuffer header = file.readHeader(position);
                    long length = header.remaining() < LOG_OVERHEAD ? -1 : LOG_OVERHEAD + (long) header.getInt(LENGTH_OFFSET);
                    if (length < LOG_OVERHEAD || position + length > size) {
                        out.printf("  INVALID at byte %d: %d bytes left do not hold a whole batch%n", position, size - position);
                        invalid++;
                        break;
                    }
                    ByteBuffer bytes = file.readBatch(position);
                    BatchDefect defect = BatchDefect.find(bytes, 0, bytes.remaining());
                    if (defect != null) {
                        out.printf("  INVALID at byte %d: %s%n", position, defect.reason());
                        invalid++;
                        break;
                    }
                    LogRecordBatch batch = new LogRecordBatch(bytes);
                    out.printf("  offsets %d-%d records %d bytes %d schema %d %s%s committed %s epoch %d writer %d seq %d%n",
                            batch.baseOffset(), batch.lastOffset(), batch.recordCount(), batch.sizeInBytes(),
                            batch.schemaId(), batch.compression(), batch.isChangelog() ? " changelog" : "",
                            Instant.ofEpochMilli(batch.commitTimestamp()), batch.leaderEpoch(), batch.writerId(),
                            batch.batchSequence());
                    batches++;
                    records += batch.recordCount();
                    position += (int) length;
                }
            }
        }
        out.printf("%d segments, %d batches, %d records, %d invalid%n", segments.size(), batches, records, invalid);
        return invalid;
    }
}
