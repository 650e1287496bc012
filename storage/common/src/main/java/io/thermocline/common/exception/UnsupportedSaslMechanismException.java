package io.thermocline.common.exception;

/**
 * The SASL mechanism a client asked for is not enabled on the listener, or PLAIN was asked on a
 * listener without TLS (where it would send the password in clear text). The message names the
 * mechanisms the listener offers.
 */
public class UnsupportedSaslMechanismException extends AuthenticationException {
    private static final long serialVersionUID = 1L;

    public UnsupportedSaslMechanismException(String message) {
        super(message);
    }
}
