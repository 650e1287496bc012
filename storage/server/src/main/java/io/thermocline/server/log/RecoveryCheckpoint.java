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
import java.util.List;

/**
 * The offset below which a bucket log is known to be on disk, so that recovery after a crash
 * validates only what follows. Written atomically (temp file, fsync, rename, fsync directory).
 * Format: text lines {@code 0} (version) and the offset.
 */
final class RecoveryCheckpoint {
    private static final String VERSION = "0";

    private final Path file;

    RecoveryCheckpoint(Path dir) {
        this.file = dir.resolve(LogFiles.RECOVERY_CHECKPOINT);
    }

    /** The checkpointed offset, or 0 when there is none or it cannot be read (recover everything). */
    long read() {
        try {
            if (!Files.exists(file)) {
                return 0;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() != 2 || !lines.get(0).equals(VERSION)) {
                return 0;
            }
            long offset = Long.parseLong(lines.get(1).trim());
            return Math.max(0, offset);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    void write(long offset) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap((VERSION + "\n" + offset + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot write recovery checkpoint " + tmp, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot install recovery checkpoint " + file, e);
        }
    }
}
