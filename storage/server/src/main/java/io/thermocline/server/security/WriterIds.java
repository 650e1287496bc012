package io.thermocline.server.security;

import io.thermocline.common.exception.AuthorizationException;
import io.thermocline.rpc.security.Principal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Idempotent writer ids bound to the principal that obtained them. An id is the coordinator's
 * sequence number in its high 32 bits and, in its low 32 bits, a tag: an HMAC of principal and
 * sequence under a key derived from the cluster's secret. Any server checks a batch's writer id
 * against the principal of the connection that sent it, without asking anyone, so that nobody can
 * write under (and so disturb the deduplication of) another principal's writer.
 */
public final class WriterIds {
    private static final String ALGORITHM = "HmacSHA256";

    private final ThreadLocal<Mac> macs;

    public WriterIds(byte[] clusterSecret) {
        byte[] key = hmac(clusterSecret, "thermocline writer ids".getBytes(StandardCharsets.UTF_8));
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(new SecretKeySpec(key, ALGORITHM));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("The JVM has no " + ALGORITHM, e);
            }
        });
    }

    /** The writer id of the {@code sequence}-th writer, for {@code principal}. */
    public long issue(long sequence, Principal principal) {
        if (sequence < 0 || sequence > Integer.MAX_VALUE) {
            throw new IllegalStateException("Writer id sequence " + sequence + " is out of range");
        }
        return sequence << 32 | (tag(sequence, principal) & 0xFFFF_FFFFL);
    }

    /** Throws {@link AuthorizationException} unless {@code writerId} was issued to {@code principal}. */
    public void check(long writerId, Principal principal, String where) {
        long sequence = writerId >>> 32;
        if (writerId < 0 || (int) writerId != tag(sequence, principal)) {
            throw new AuthorizationException(where + ": writer id " + writerId + " was not issued to " + principal
                    + "; a writer uses the ids its own principal obtained");
        }
    }

    private int tag(long sequence, Principal principal) {
        Mac mac = macs.get();
        mac.update(ByteBuffer.allocate(8).putLong(sequence).array());
        return ByteBuffer.wrap(mac.doFinal(principal.toString().getBytes(StandardCharsets.UTF_8))).getInt();
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM has no " + ALGORITHM, e);
        }
    }
}
