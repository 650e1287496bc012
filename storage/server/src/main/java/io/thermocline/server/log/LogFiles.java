package io.thermocline.server.log;

import io.thermocline.common.exception.ThermoclineStorageException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/** File names in a bucket log directory. Base offsets are zero-padded so names sort by offset. */
final class LogFiles {
    static final String LOG_SUFFIX = ".log";
    static final String OFFSET_INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String RECOVERY_CHECKPOINT = "recovery-point";
    static final String LEADER_EPOCH_CHECKPOINT = "leader-epochs";
    static final String WRITER_STATE_SNAPSHOT = "writer-state";

    private LogFiles() {}

    static String logFileName(long baseOffset) {
        return pad(baseOffset) + LOG_SUFFIX;
    }

    static String offsetIndexFileName(long baseOffset) {
        return pad(baseOffset) + OFFSET_INDEX_SUFFIX;
    }

    static String timeIndexFileName(long baseOffset) {
        return pad(baseOffset) + TIME_INDEX_SUFFIX;
    }

    /** The base offset a segment file name stands for, if it is one of ours. */
    static OptionalLong baseOffsetOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix)) {
            return OptionalLong.empty();
        }
        String digits = fileName.substring(0, fileName.length() - suffix.length());
        if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(digits));
    }

    /**
     * Replaces a small state file atomically and durably: temp file, fsync, rename, fsync of the
     * directory. A crash leaves the old content or the new, never a mix.
     */
    static void writeAtomically(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot write " + tmp + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot install " + file + ": " + e.getMessage(), e);
        }
    }

    private static String pad(long offset) {
        return String.format("%020d", offset);
    }
}
