package io.thermocline.common.internal.record;

import io.thermocline.common.testutils.ArrowTestBase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.junit.jupiter.api.Test;

import java.util.Random;

/** Our LZ4 frames are standard: Arrow's reference codec reads them, and we read its frames. */
class Lz4FrameCodecTest extends ArrowTestBase {
    private final CompressionCodec ours = new Lz4FrameCodec();
    private final CompressionCodec reference =
            CommonsCompressionFactory.INSTANCE.createCodec(CompressionUtil.CodecType.LZ4_FRAME);



    @Test
    void framesInteroperateWithArrowsReferenceCodec() {
        Random random = new Random(3);
        // compressible, random (stored as raw blocks) and larger than one 4 MiB block
        for (int size : new int[] {1, 100, 70_000, 5 << 20}) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) (i % 7 == 0 ? random.nextInt() : i % 13);
            }
            // The reference codec is extremely slow (the reason for ours): only small inputs.
            if (size < 100_000) {
                assertThat(roundTrip(data, ours, reference)).isEqualTo(data);
                assertThat(roundTrip(data, reference, ours)).isEqualTo(data);
            }
            assertThat(roundTrip(data, ours, ours)).isEqualTo(data);
        }
        byte[] noise = new byte[10_000];
        random.nextBytes(noise);
        assertThat(roundTrip(noise, ours, ours)).isEqualTo(noise);
    }

    @Test
    void corruptFramesAreRejected() {
        byte[] data = new byte[1000];
        ArrowBuf compressed = compress(data, ours);
        try {
            compressed.setByte(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH, 0x11); // break the magic
            assertThatThrownBy(() -> ours.decompress(allocator, compressed))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an LZ4 frame");
        } finally {
            if (compressed.getReferenceManager().getRefCount() > 0) {
                compressed.close();
            }
        }
    }

    private byte[] roundTrip(byte[] data, CompressionCodec compressor, CompressionCodec decompressor) {
        ArrowBuf compressed = compress(data, compressor);
        try (ArrowBuf decompressed = decompressor.decompress(allocator, compressed)) {
            byte[] out = new byte[(int) decompressed.writerIndex()];
            decompressed.getBytes(0, out);
            return out;
        }
    }

    private ArrowBuf compress(byte[] data, CompressionCodec codec) {
        ArrowBuf input = allocator.buffer(data.length);
        input.setBytes(0, data);
        input.writerIndex(data.length);
        return codec.compress(allocator, input); // takes over the input buffer
    }
}
