package io.thermocline.common.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

class Crc32CTest {

    @Test
    void combiningTwoRangesEqualsHashingBoth() {
        Random random = new Random(11);
        for (int round = 0; round < 500; round++) {
            byte[] bytes = new byte[random.nextInt(round < 450 ? 2000 : 3_000_000) + 1];
            random.nextBytes(bytes);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            int split = random.nextInt(bytes.length + 1);
            long a = Crc32C.compute(buffer, 0, split);
            long b = Crc32C.compute(buffer, split, bytes.length - split);
            assertThat(Crc32C.combine(a, b, bytes.length - split))
                    .as("length %d split %d", bytes.length, split)
                    .isEqualTo(Crc32C.compute(buffer, 0, bytes.length));
        }
    }
}
