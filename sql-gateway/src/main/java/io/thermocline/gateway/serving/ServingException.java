package io.thermocline.gateway.serving;

/** A statement the gateway answers itself failed while reading the cluster; the message names the table. */
public final class ServingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServingException(String message, Throwable cause) {
        super(message, cause);
    }
}
