package io.thermocline.rpc.security;

/** How a listener, and a client connecting to it, protect a connection. */
public enum SecurityProtocol {
    /** No authentication, no encryption: every connection acts as {@link Principal#ANONYMOUS}. */
    PLAINTEXT(false, false),
    /** SASL authentication over plain TCP. PLAIN is refused here unless explicitly allowed. */
    SASL_PLAINTEXT(true, false),
    /** SASL authentication over TLS. */
    SASL_SSL(true, true);

    private final boolean sasl;
    private final boolean tls;

    SecurityProtocol(boolean sasl, boolean tls) {
        this.sasl = sasl;
        this.tls = tls;
    }

    public boolean sasl() {
        return sasl;
    }

    public boolean tls() {
        return tls;
    }
}
