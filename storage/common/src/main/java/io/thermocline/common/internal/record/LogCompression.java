package io.thermocline.common.internal.record;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;

/**
 * Body compression of a log batch. Each Arrow buffer is compressed on its own, which keeps
 * projection a matter of choosing buffers.
 */
public enum LogCompression {
    NONE(0, CompressionUtil.CodecType.NO_COMPRESSION),
    LZ4_FRAME(1, CompressionUtil.CodecType.LZ4_FRAME),
    ZSTD(2, CompressionUtil.CodecType.ZSTD);

    private final int id;
    private final CompressionUtil.CodecType codecType;

    LogCompression(int id, CompressionUtil.CodecType codecType) {
        this.id = id;
        this.codecType = codecType;
    }

    /** The value stored in the batch attributes' compression bits. */
    public int id() {
        return id;
    }

    public static boolean isValidId(int id) {
        return id >= 0 && id < values().length;
    }

    public static LogCompression fromId(int id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("Unknown compression id " + id);
        }
        return values()[id];
    }

    /** A new codec for one writer. */
    public CompressionCodec createCodec() {
        return DECOMPRESSION.createCodec(codecType);
    }

    /** Decompresses whatever codec a batch's Arrow metadata names. */
    public static CompressionCodec.Factory decompressionFactory() {
        return DECOMPRESSION;
    }

    /** LZ4 on lz4-java; ZSTD through Arrow's zstd-jni codec. */
    private static final CompressionCodec.Factory DECOMPRESSION = new CompressionCodec.Factory() {
        @Override
        public CompressionCodec createCodec(CompressionUtil.CodecType type) {
            switch (type) {
                case NO_COMPRESSION:
                    return NoCompressionCodec.INSTANCE;
                case LZ4_FRAME:
                    return new Lz4FrameCodec();
                default:
                    return CommonsCompressionFactory.INSTANCE.createCodec(type);
            }
        }

        @Override
        public CompressionCodec createCodec(CompressionUtil.CodecType type, int compressionLevel) {
            return type == CompressionUtil.CodecType.ZSTD
                    ? CommonsCompressionFactory.INSTANCE.createCodec(type, compressionLevel)
                    : createCodec(type);
        }
    };
}
