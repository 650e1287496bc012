package io.thermocline.rpc.security;

import static io.thermocline.rpc.security.ScramMessages.attributes;
import static io.thermocline.rpc.security.ScramMessages.required;
import static io.thermocline.rpc.security.ScramMessages.utf8;

import io.thermocline.common.exception.AuthenticationException;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/**
 * SCRAM-SHA-256's server (RFC 5802, 7677) without channel binding. An unknown user gets a made-up
 * credential, derived from the cluster's secret and the name (a stable salt, no extra work), and
 * fails only at the proof, like a wrong password, so that users cannot be probed.
 */
final class ScramServer implements SaslMechanisms.Server {
    private enum State { FIRST, FINAL, COMPLETE }

    private final CredentialStore credentials;
    private State state = State.FIRST;
    private String user;
    private ScramCredential credential;
    private boolean knownUser;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;

    ScramServer(CredentialStore credentials) {
        this.credentials = credentials;
    }

    @Override
    public byte[] evaluate(byte[] response) {
        return switch (state) {
            case FIRST -> first(utf8(response));
            case FINAL -> last(utf8(response));
            case COMPLETE -> throw new AuthenticationException("The SCRAM exchange is already complete");
        };
    }

    private byte[] first(String clientFirst) {
        if (!clientFirst.startsWith(ScramMessages.GS2_HEADER)) {
            throw new AuthenticationException("SCRAM: channel binding and authorization ids are not supported;"
                    + " the first message must start with 'n,,'");
        }
        clientFirstBare = clientFirst.substring(ScramMessages.GS2_HEADER.length());
        Map<String, String> attributes = attributes(clientFirstBare);
        if (attributes.containsKey("m")) {
            throw new AuthenticationException("SCRAM: mandatory extensions are not supported");
        }
        user = ScramMessages.unescapeName(required(attributes, "n"));
        String clientNonce = required(attributes, "r");
        credential = credentials.credential(user).orElse(null);
        knownUser = credential != null;
        if (!knownUser) {
            credential = ScramCredential.madeUp(credentials.secret(), user);
        }
        nonce = clientNonce + ScramMessages.nonce();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt()) + ",i="
                + credential.iterations();
        state = State.FINAL;
        return utf8(serverFirst);
    }

    private byte[] last(String clientFinal) {
        Map<String, String> attributes = attributes(clientFinal);
        if (!ScramMessages.CHANNEL_BINDING.equals(required(attributes, "c"))
                || !nonce.equals(required(attributes, "r"))) {
            throw new AuthenticationException("SCRAM: the final message does not match the exchange");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(required(attributes, "p"));
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException("SCRAM: the proof is not base64");
        }
        String withoutProof = clientFinal.substring(0, clientFinal.lastIndexOf(",p="));
        byte[] authMessage = utf8(clientFirstBare + "," + serverFirst + "," + withoutProof);
        byte[] clientSignature = ScramCredential.hmac(credential.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            throw SaslMechanisms.failed();
        }
        byte[] clientKey = ScramCredential.xor(proof, clientSignature);
        if (!MessageDigest.isEqual(ScramCredential.hash(clientKey), credential.storedKey()) || !knownUser) {
            throw SaslMechanisms.failed();
        }
        state = State.COMPLETE;
        return utf8("v=" + Base64.getEncoder().encodeToString(ScramCredential.hmac(credential.serverKey(), authMessage)));
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public ScramCredential credential() {
        return state == State.COMPLETE ? credential : null;
    }
}
