package io.thermocline.rpc.security;

import static io.thermocline.rpc.security.ScramMessages.attributes;
import static io.thermocline.rpc.security.ScramMessages.required;
import static io.thermocline.rpc.security.ScramMessages.utf8;

import io.thermocline.common.exception.AuthenticationException;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/** SCRAM-SHA-256's client: proves the password without sending it, and checks the server knows it too. */
final class ScramClient implements SaslMechanisms.Client {
    private final String user;
    private final String password;
    private final String clientNonce = ScramMessages.nonce();
    private String clientFirstBare;
    private byte[] expectedServerSignature;
    private boolean complete;

    ScramClient(String user, String password) {
        this.user = user;
        this.password = password;
    }

    @Override
    public byte[] initialResponse() {
        clientFirstBare = "n=" + ScramMessages.escapeName(user) + ",r=" + clientNonce;
        return utf8(ScramMessages.GS2_HEADER + clientFirstBare);
    }

    @Override
    public byte[] evaluate(byte[] challenge) {
        String message = utf8(challenge);
        if (expectedServerSignature == null) {
            return last(message);
        }
        Map<String, String> attributes = attributes(message);
        if (attributes.containsKey("e")) {
            throw new AuthenticationException("SCRAM: the server refused: " + attributes.get("e"));
        }
        byte[] signature = Base64.getDecoder().decode(required(attributes, "v"));
        if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw new AuthenticationException("SCRAM: the server's signature is wrong; it does not know the"
                    + " password (is it the server you meant?)");
        }
        complete = true;
        return new byte[0];
    }

    private byte[] last(String serverFirst) {
        Map<String, String> attributes = attributes(serverFirst);
        String nonce = required(attributes, "r");
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new AuthenticationException("SCRAM: the server's nonce does not extend ours");
        }
        int iterations = Integer.parseInt(required(attributes, "i"));
        if (iterations < ScramCredential.MIN_ITERATIONS) {
            throw new AuthenticationException("SCRAM: the server asks for " + iterations + " iterations, fewer than "
                    + ScramCredential.MIN_ITERATIONS);
        }
        byte[] salt = Base64.getDecoder().decode(required(attributes, "s"));
        byte[] salted = ScramCredential.saltedPassword(password, salt, iterations);
        byte[] clientKey = ScramCredential.clientKey(salted);
        String withoutProof = "c=" + ScramMessages.CHANNEL_BINDING + ",r=" + nonce;
        byte[] authMessage = utf8(clientFirstBare + "," + serverFirst + "," + withoutProof);
        byte[] proof = ScramCredential.xor(clientKey,
                ScramCredential.hmac(ScramCredential.hash(clientKey), authMessage));
        expectedServerSignature = ScramCredential.hmac(ScramCredential.serverKey(salted), authMessage);
        return utf8(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    @Override
    public boolean isComplete() {
        return complete;
    }
}
