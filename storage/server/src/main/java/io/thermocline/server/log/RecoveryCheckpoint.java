package io.thermocline.server.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        LogFiles.writeAtomically(file, VERSION + "\n" + offset + "\n");
    }
}
