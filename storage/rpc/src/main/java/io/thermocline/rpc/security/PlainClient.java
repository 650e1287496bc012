package io.thermocline.rpc.security;

import java.nio.charset.StandardCharsets;

/** SASL PLAIN's client: the user and password in one message (only ever sent over TLS, unless allowed). */
final class PlainClient implements SaslMechanisms.Client {
    private final String user;
    private final String password;
    private boolean sent;

    PlainClient(String user, String password) {
        this.user = user;
        this.password = password;
    }

    @Override
    public byte[] initialResponse() {
        sent = true;
        return ("\u0000" + user + "\u0000" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] evaluate(byte[] challenge) {
        return new byte[0];
    }

    @Override
    public boolean isComplete() {
        return sent;
    }
}
