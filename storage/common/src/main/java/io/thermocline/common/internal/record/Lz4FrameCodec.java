package io.thermocline.common.internal.record;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.AbstractCompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Arrow's LZ4_FRAME body compression on lz4-java's block codec, working on Arrow memory without
 * copies. Arrow's own codec goes through commons-compress streams and allocates a 4 MiB block
 * buffer per Arrow buffer, which made it thousands of times slower than no compression.
 *
 * <p>Writes the standard LZ4 frame so any Arrow reader decodes it: magic, descriptor (independent
 * blocks of at most 4 MiB, no checksums: the batch CRC covers the bytes), blocks (stored
 * uncompressed when that is smaller), end mark. Reads any frame without a dictionary.
 */
final class Lz4FrameCodec extends AbstractCompressionCodec {
    private static final int MAGIC = 0x184D2204;
    private static final int FLG_VERSION_01 = 0x40;
    private static final int FLG_BLOCK_INDEPENDENT = 0x20;
    private static final int FLG_BLOCK_CHECKSUM = 0x10;
    private static final int FLG_CONTENT_SIZE = 0x08;
    private static final int FLG_CONTENT_CHECKSUM = 0x04;
    private static final int FLG_DICT_ID = 0x01;
    private static final int BD_4MB = 0x70;
    private static final int MAX_BLOCK = 4 << 20;
    private static final int UNCOMPRESSED_BLOCK = 0x80000000;
    private static final int PREFIX = (int) CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;
    private static final byte HEADER_CHECKSUM;

    static {
        byte[] descriptor = {(byte) (FLG_VERSION_01 | FLG_BLOCK_INDEPENDENT), (byte) BD_4MB};
        HEADER_CHECKSUM = (byte) (XXHashFactory.fastestInstance().hash32().hash(descriptor, 0, 2, 0) >> 8);
    }

    private final LZ4Compressor compressor = LZ4Factory.fastestInstance().fastCompressor();
    private final LZ4SafeDecompressor decompressor = LZ4Factory.fastestInstance().safeDecompressor();

    @Override
    protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf uncompressed) {
        int length = Math.toIntExact(uncompressed.writerIndex());
        int blocks = Math.max(1, (length + MAX_BLOCK - 1) / MAX_BLOCK);
        long bound = PREFIX + 7L + 4 + (long) blocks * 4 + compressor.maxCompressedLength(length) + blocks * 16L;
        ArrowBuf compressed = allocator.buffer(bound);
        ByteBuffer in = uncompressed.nioBuffer(0, length);
        ByteBuffer out = compressed.nioBuffer(0, Math.toIntExact(bound)).order(ByteOrder.LITTLE_ENDIAN);
        int position = PREFIX;
        out.putInt(position, MAGIC);
        out.put(position + 4, (byte) (FLG_VERSION_01 | FLG_BLOCK_INDEPENDENT));
        out.put(position + 5, (byte) BD_4MB);
        out.put(position + 6, HEADER_CHECKSUM);
        position += 7;
        for (int offset = 0; offset < length; offset += MAX_BLOCK) {
            int blockLength = Math.min(MAX_BLOCK, length - offset);
            int size = compressor.compress(in, offset, blockLength, out, position + 4, out.capacity() - position - 4);
            if (size >= blockLength) {
                out.putInt(position, blockLength | UNCOMPRESSED_BLOCK);
                ByteBuffer src = in.duplicate();
                src.limit(offset + blockLength).position(offset);
                out.duplicate().position(position + 4).put(src);
                size = blockLength;
            } else {
                out.putInt(position, size);
            }
            position += 4 + size;
        }
        out.putInt(position, 0);
        compressed.writerIndex(position + 4);
        return compressed;
    }

    @Override
    protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
        long expected = readUncompressedLength(compressed);
        int length = Math.toIntExact(expected);
        ArrowBuf result = allocator.buffer(expected);
        try {
            ByteBuffer in = compressed.nioBuffer(0, Math.toIntExact(compressed.writerIndex()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer out = result.nioBuffer(0, length);
            int position = PREFIX;
            if (in.getInt(position) != MAGIC) {
                throw new IllegalArgumentException("not an LZ4 frame: magic " + Integer.toHexString(in.getInt(position)));
            }
            int flg = in.get(position + 4);
            if ((flg & 0xC0) != FLG_VERSION_01 || (flg & FLG_DICT_ID) != 0) {
                throw new IllegalArgumentException("unsupported LZ4 frame descriptor 0x" + Integer.toHexString(flg & 0xFF));
            }
            position += 7 + ((flg & FLG_CONTENT_SIZE) != 0 ? 8 : 0);
            int written = 0;
            while (true) {
                int blockHeader = in.getInt(position);
                position += 4;
                if (blockHeader == 0) {
                    break;
                }
                int size = blockHeader & ~UNCOMPRESSED_BLOCK;
                if ((blockHeader & UNCOMPRESSED_BLOCK) != 0) {
                    ByteBuffer src = in.duplicate();
                    src.limit(position + size).position(position);
                    out.duplicate().position(written).put(src);
                    written += size;
                } else {
                    written += decompressor.decompress(in, position, size, out, written, length - written);
                }
                position += size + ((flg & FLG_BLOCK_CHECKSUM) != 0 ? 4 : 0);
            }
            if (written != length) {
                throw new IllegalArgumentException("LZ4 frame held " + written + " bytes, expected " + length);
            }
            result.writerIndex(expected);
            return result;
        } catch (RuntimeException e) {
            result.close();
            throw e instanceof IllegalArgumentException ? e : new IllegalArgumentException("corrupt LZ4 frame: " + e, e); // LZ4Exception included
        }
    }

    @Override
    public CompressionUtil.CodecType getCodecType() {
        return CompressionUtil.CodecType.LZ4_FRAME;
    }
}
