package io.thermocline.common.exception;

/**
 * The authenticated principal may not do what it asked: the message names the principal, the
 * operation and the resource (cluster, database or table). The connection stays open.
 */
public class AuthorizationException extends ApiException {
    private static final long serialVersionUID = 1L;

    public AuthorizationException(String message) {
        super(message);
    }
}
