package io.thermocline.common.exception;

/**
 * A connection did not authenticate: no credentials on a listener that requires them, an unknown
 * user or a wrong password (the message never says which), or a SASL exchange out of order. The
 * server closes the connection after it; retrying with the same credentials cannot succeed.
 */
public class AuthenticationException extends ApiException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }
}
