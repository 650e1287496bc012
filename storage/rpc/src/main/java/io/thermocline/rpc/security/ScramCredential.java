package io.thermocline.rpc.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A user's password as SCRAM-SHA-256 keeps it (RFC 5802, 7677): a salt, an iteration count and
 * two keys derived from the salted password. The password itself is never stored; both SCRAM and
 * PLAIN are verified against these. Also the SCRAM primitives both sides of the exchange use.
 */
public record ScramCredential(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    public static final int DEFAULT_ITERATIONS = 4096;
    /** Fewer is refused: RFC 7677 asks for at least 4096. */
    public static final int MIN_ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static ScramCredential create(String password, int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("SCRAM iterations must be at least " + MIN_ITERATIONS + ", got "
                    + iterations);
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] salted = saltedPassword(password, salt, iterations);
        return new ScramCredential(salt, iterations, hash(clientKey(salted)), serverKey(salted));
    }

    /** Whether {@code password} is this credential's (PLAIN); constant time in the keys. */
    public boolean matches(String password) {
        byte[] salted = saltedPassword(password, salt, iterations);
        return MessageDigest.isEqual(storedKey, hash(clientKey(salted)));
    }

    /**
     * The credential an unknown user is answered with: salt and keys derived from {@code secret}
     * and the name, so that the salt is the same at every attempt, like a real user's. No password
     * matches it (its stored key is no hash of a client key anyone knows).
     */
    static ScramCredential madeUp(byte[] secret, String user) {
        byte[] name = user.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] salt = java.util.Arrays.copyOf(hmac(secret, concat("salt:", name)), 16);
        return new ScramCredential(salt, DEFAULT_ITERATIONS, hmac(secret, concat("stored-key:", name)),
                hmac(secret, concat("server-key:", name)));
    }

    private static byte[] concat(String label, byte[] name) {
        byte[] prefix = label.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(prefix, prefix.length + name.length);
        System.arraycopy(name, 0, all, prefix.length, name.length);
        return all;
    }

    /** As stored: {@code iterations:salt:storedKey:serverKey}, the binary parts in base64. */
    public String encode() {
        Base64.Encoder b64 = Base64.getEncoder();
        return iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(storedKey) + ":"
                + b64.encodeToString(serverKey);
    }

    public static ScramCredential decode(String text) {
        String[] parts = text.split(":");
        if (parts.length != 4) {
            throw new IllegalArgumentException("Not a stored SCRAM credential");
        }
        Base64.Decoder b64 = Base64.getDecoder();
        return new ScramCredential(b64.decode(parts[1]), Integer.parseInt(parts[0]), b64.decode(parts[2]),
                b64.decode(parts[3]));
    }

    // ------------------------------------------------------------------ SCRAM-SHA-256 primitives

    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        try {
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            return pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        }
    }

    static byte[] clientKey(byte[] saltedPassword) {
        return hmac(saltedPassword, "Client Key".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    static byte[] serverKey(byte[] saltedPassword) {
        return hmac(saltedPassword, "Server Key".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    static byte[] hash(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredential other && iterations == other.iterations && Arrays.equals(salt, other.salt)
                && Arrays.equals(storedKey, other.storedKey) && Arrays.equals(serverKey, other.serverKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(storedKey);
    }

    @Override
    public String toString() {
        return "ScramCredential(iterations=" + iterations + ")"; // never the keys
    }
}
