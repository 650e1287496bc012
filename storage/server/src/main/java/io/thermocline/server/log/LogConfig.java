package io.thermocline.server.log;

import io.thermocline.common.config.Configuration;
import io.thermocline.server.config.ServerOptions;

import java.time.Duration;

/** The validated settings of one bucket log, read once from the configuration. */
public record LogConfig(
        int segmentBytes,
        long segmentMaxAgeMs,
        int indexIntervalBytes,
        int maxBatchBytes,
        long retentionBytes,
        long retentionMs,
        long flushIntervalRecords,
        long flushIntervalMs,
        long writerIdleMs,
        int maxWriters) {

    public static LogConfig from(Configuration conf) {
        return new LogConfig(
                (int) conf.get(ServerOptions.LOG_SEGMENT_SIZE).bytes(),
                conf.get(ServerOptions.LOG_SEGMENT_MAX_AGE).toMillis(),
                (int) conf.get(ServerOptions.LOG_INDEX_INTERVAL).bytes(),
                (int) conf.get(ServerOptions.LOG_MAX_BATCH_SIZE).bytes(),
                conf.get(ServerOptions.LOG_RETENTION_BYTES),
                conf.get(ServerOptions.LOG_RETENTION_TIME).toMillis(),
                conf.get(ServerOptions.LOG_FLUSH_INTERVAL_RECORDS),
                conf.get(ServerOptions.LOG_FLUSH_INTERVAL).toMillis(),
                conf.get(ServerOptions.WRITER_IDLE_EXPIRY).toMillis(),
                conf.get(ServerOptions.WRITER_MAX_PER_BUCKET));
    }

    /** Settings with the default writer limits. */
    public LogConfig(int segmentBytes, long segmentMaxAgeMs, int indexIntervalBytes, int maxBatchBytes,
            long retentionBytes, long retentionMs, long flushIntervalRecords, long flushIntervalMs) {
        this(segmentBytes, segmentMaxAgeMs, indexIntervalBytes, maxBatchBytes, retentionBytes, retentionMs,
                flushIntervalRecords, flushIntervalMs, ServerOptions.WRITER_IDLE_EXPIRY.defaultValue().toMillis(),
                ServerOptions.WRITER_MAX_PER_BUCKET.defaultValue());
    }

    /** This config with other limits on the idempotent writers remembered. */
    public LogConfig withWriterLimits(long idleMs, int most) {
        return new LogConfig(segmentBytes, segmentMaxAgeMs, indexIntervalBytes, maxBatchBytes, retentionBytes,
                retentionMs, flushIntervalRecords, flushIntervalMs, idleMs, most);
    }

    /** This config with another retention time; 0 keeps data forever. */
    public LogConfig withRetentionMs(long value) {
        return new LogConfig(segmentBytes, segmentMaxAgeMs, indexIntervalBytes, maxBatchBytes, retentionBytes, value,
                flushIntervalRecords, flushIntervalMs, writerIdleMs, maxWriters);
    }

    public static LogConfig defaults() {
        return from(new Configuration());
    }

    public boolean hasRetentionTime() {
        return retentionMs > 0;
    }

    public boolean hasRetentionBytes() {
        return retentionBytes >= 0;
    }

    public Duration retention() {
        return Duration.ofMillis(retentionMs);
    }
}
