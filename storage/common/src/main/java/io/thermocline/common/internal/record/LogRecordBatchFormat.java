package io.thermocline.common.internal.record;

/**
 * The on-disk and on-wire layout of a log record batch, magic 0. All integers little-endian.
 *
 * <pre>
 * offset size field               meaning
 *  0      8   base offset         offset of the first record; assigned by the bucket leader
 *  8      4   length              bytes that follow this field (batch size - 12)
 * 12      1   magic               format version, 0; read before anything else is trusted
 * 13      4   CRC32C              over bytes [17, batch end): everything after this field
 * 17      4   schema id           schema the rows were written with (never the schema itself)
 * 21      2   attributes          bits 0-2 body compression (0 none, 1 LZ4 frame, 2 ZSTD),
 *                                 bit 3 change types present; all other bits must be 0
 * 23      4   last offset delta   last offset - base offset; record count - 1, or 0 in a no-op marker
 * 27      8   commit timestamp    epoch ms, assigned by the leader, never decreasing per bucket
 * 35      4   leader epoch        epoch of the leader that appended the batch
 * 39      8   writer id           idempotent writer, or -1
 * 47      4   batch sequence      writer's sequence for this bucket, or -1
 * 51      4   record count        rows in the batch: at least 1, or 0 in a no-op marker
 * 55      n   change types        one byte per row (0 +I, 1 -U, 2 +U, 3 -D) when bit 3 is set;
 *                                 absent for append-only batches, whose rows are all +I
 * 55+n    ..  Arrow IPC message   an encapsulated RecordBatch message: 0xFFFFFFFF, int32
 *                                 metadata size, flatbuffer Message (padded to 8), then the body;
 *                                 with compression, each body buffer is compressed on its own
 *                                 (Arrow's BodyCompression), so projection never decompresses
 * </pre>
 *
 * <p>A <em>no-op marker</em> is a batch without rows (an empty Arrow batch) that spans one offset
 * and carries a writer id and sequence. The leader appends one when an idempotent writer's batch
 * changed nothing in a primary-key table, so that the batch's sequence is in the replicated log:
 * a new leader then answers the batch's retry, and takes the writer's next batch, as the old one
 * would. Readers skip it; their position moves past it.
 *
 * <p>Base offset and length are outside the CRC, like in Kafka, so that the log can assign the
 * offset without recomputing it; the leader recomputes the CRC after stamping timestamp and
 * epoch, so that these are protected too.
 */
public final class LogRecordBatchFormat {
    private LogRecordBatchFormat() {}

    public static final byte MAGIC_V0 = 0;
    public static final byte CURRENT_MAGIC = MAGIC_V0;

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int MAGIC_OFFSET = 12;
    public static final int CRC_OFFSET = 13;
    public static final int SCHEMA_ID_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int COMMIT_TIMESTAMP_OFFSET = 27;
    public static final int LEADER_EPOCH_OFFSET = 35;
    public static final int WRITER_ID_OFFSET = 39;
    public static final int BATCH_SEQUENCE_OFFSET = 47;
    public static final int RECORD_COUNT_OFFSET = 51;
    public static final int HEADER_SIZE = 55;

    /** Base offset and length: what a reader needs to find the next batch. */
    public static final int LOG_OVERHEAD = 12;
    /** The CRC covers everything from here to the end of the batch. */
    public static final int CRC_START = SCHEMA_ID_OFFSET;
    /** Fields before this (inside the CRC) may be restamped by the leader: timestamp and epoch. */
    public static final int STAMPED_END = WRITER_ID_OFFSET;

    /** Continuation marker and metadata size in front of the Arrow flatbuffer. */
    public static final int ARROW_PREFIX_SIZE = 8;
    public static final int ARROW_CONTINUATION = 0xFFFFFFFF;

    public static final int COMPRESSION_MASK = 0x07;
    public static final int CHANGELOG_FLAG = 0x08;
    public static final int KNOWN_ATTRIBUTES = COMPRESSION_MASK | CHANGELOG_FLAG;

    public static final long NO_WRITER_ID = -1L;
    public static final int NO_BATCH_SEQUENCE = -1;
    public static final int NO_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    /** The smallest possible batch: a header, one change-type-free row and an Arrow prefix. */
    public static final int MIN_BATCH_SIZE = HEADER_SIZE + ARROW_PREFIX_SIZE;
}
