package io.thermocline.flink.source;

/** Where a read starts in every bucket. */
public enum StartupMode {
    /**
     * Everything the table holds: for a lake-enabled table the newest lake snapshot, then each
     * bucket's hot rows after it (a union read); otherwise the hot tier from its earliest row.
     */
    FULL,
    /** The hot tier from its earliest retained row; no lake. */
    EARLIEST,
    /** Only rows written after the read starts. */
    LATEST,
    /** The hot tier from the first row committed at or after a timestamp. */
    TIMESTAMP
}
