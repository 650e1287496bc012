package io.thermocline.common.internal.record;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C (Castagnoli) over buffer ranges, and combination of the CRCs of two adjacent ranges
 * into the CRC of both without reading their bytes again. Combination lets the leader restamp a
 * batch's header and update its CRC by hashing the header alone.
 *
 * <p>Combination works on polynomials over GF(2) in the reflected bit order of CRC32C:
 * crc(A || B) = crc(A) * x^(8 * |B|) mod P  xor  crc(B), where the power of x is built by
 * repeated squaring, so the cost grows with log |B|.
 */
final class Crc32C {
    /** CRC32C's polynomial, reflected. */
    private static final int POLY = 0x82F63B78;
    /** X_POW_2N[k] = x^(2^k) mod P. */
    private static final int[] X_POW_2N = new int[32];

    static {
        int p = 1 << 30; // x^1
        for (int k = 0; k < 32; k++) {
            X_POW_2N[k] = p;
            p = multiplyModP(p, p);
        }
    }

    private Crc32C() {}

    static long compute(ByteBuffer buffer, int position, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer slice = buffer.duplicate();
        slice.limit(position + length).position(position);
        crc.update(slice);
        return crc.getValue();
    }

    /** The CRC of A followed by B, from crc(A), crc(B) and the length of B. */
    static long combine(long crcA, long crcB, long lengthB) {
        return Integer.toUnsignedLong(multiplyModP(xPow8n(lengthB), (int) crcA) ^ (int) crcB);
    }

    /** x^(8n) mod P. */
    private static int xPow8n(long n) {
        int p = 1 << 31; // x^0
        int k = 3; // 8n = n * 2^3
        while (n != 0) {
            if ((n & 1) != 0) {
                p = multiplyModP(X_POW_2N[k & 31], p);
            }
            n >>>= 1;
            k++;
        }
        return p;
    }

    /** a * b mod P, both in reflected representation (bit 31 is x^0). */
    private static int multiplyModP(int a, int b) {
        int m = 1 << 31;
        int product = 0;
        while (true) {
            if ((a & m) != 0) {
                product ^= b;
                if ((a & (m - 1)) == 0) {
                    return product;
                }
            }
            m >>>= 1;
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
    }
}
