package io.thermocline.rpc.security;

import io.thermocline.common.exception.AuthenticationException;

import java.nio.charset.StandardCharsets;

/** SASL PLAIN (RFC 4616), checked against the stored SCRAM credential. */
final class PlainServer implements SaslMechanisms.Server {
    private final CredentialStore credentials;
    private String user;
    private ScramCredential credential;

    PlainServer(CredentialStore credentials) {
        this.credentials = credentials;
    }

    @Override
    public byte[] evaluate(byte[] response) {
        if (user != null) {
            throw new AuthenticationException("PLAIN takes one message");
        }
        // authzid NUL authcid NUL passwd
        String[] parts = new String(response, StandardCharsets.UTF_8).split("\u0000", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            throw new AuthenticationException("Malformed PLAIN message: expected [authzid] NUL user NUL password");
        }
        if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
            throw new AuthenticationException("PLAIN: user " + parts[1] + " may not act as " + parts[0]);
        }
        ScramCredential stored = credentials.credential(parts[1]).orElse(null);
        if (stored == null || !stored.matches(parts[2])) {
            throw SaslMechanisms.failed();
        }
        credential = stored;
        user = parts[1];
        return new byte[0];
    }

    @Override
    public boolean isComplete() {
        return user != null;
    }

    @Override
    public ScramCredential credential() {
        return credential;
    }

    @Override
    public String user() {
        return user;
    }
}
