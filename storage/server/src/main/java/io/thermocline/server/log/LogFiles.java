package io.thermocline.server.log;

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

    private static String pad(long offset) {
        return String.format("%020d", offset);
    }
}
