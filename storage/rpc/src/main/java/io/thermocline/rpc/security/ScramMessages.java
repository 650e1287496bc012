package io.thermocline.rpc.security;

import io.thermocline.common.exception.AuthenticationException;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The text of SCRAM messages (RFC 5802 section 7): attribute=value pairs, names escaped. */
final class ScramMessages {
    /** The GS2 header of a client without channel binding, and its base64 as the final message repeats it. */
    static final String GS2_HEADER = "n,,";
    static final String CHANNEL_BINDING = Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.US_ASCII));
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramMessages() {}

    static String nonce() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static String escapeName(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    static String unescapeName(String name) {
        return name.replace("=2C", ",").replace("=3D", "=");
    }

    /** The attributes of a message in order; a malformed one fails authentication. */
    static Map<String, String> attributes(String message) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String part : message.split(",", -1)) {
            if (part.length() < 2 || part.charAt(1) != '=') {
                throw new AuthenticationException("Malformed SCRAM message");
            }
            attributes.put(part.substring(0, 1), part.substring(2));
        }
        return attributes;
    }

    static String required(Map<String, String> attributes, String name) {
        String value = attributes.get(name);
        if (value == null) {
            throw new AuthenticationException("Malformed SCRAM message: no '" + name + "' attribute");
        }
        return value;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
