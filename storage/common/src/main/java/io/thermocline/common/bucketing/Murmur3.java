package io.thermocline.common.bucketing;

/** 32-bit MurmurHash3, x86 variant, seed 0: the hash of Iceberg's bucket transform. */
final class Murmur3 {
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Murmur3() {}

    static int hash32(byte[] data) {
        int h = 0;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int k = (data[4 * i] & 0xff) | (data[4 * i + 1] & 0xff) << 8 | (data[4 * i + 2] & 0xff) << 16
                    | (data[4 * i + 3] & 0xff) << 24;
            h = mixH(h, mixK(k));
        }
        int tail = 0;
        int offset = blocks * 4;
        switch (data.length & 3) {
            case 3:
                tail ^= (data[offset + 2] & 0xff) << 16;
                // fall through
            case 2:
                tail ^= (data[offset + 1] & 0xff) << 8;
                // fall through
            case 1:
                tail ^= data[offset] & 0xff;
                h ^= mixK(tail);
                break;
            default:
                break;
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int mixK(int k) {
        k *= C1;
        k = Integer.rotateLeft(k, 15);
        return k * C2;
    }

    private static int mixH(int h, int k) {
        h ^= k;
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xe6546b64;
    }
}
