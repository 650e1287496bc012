package io.thermocline.common.exception;

/** The base of every exception Thermocline throws. Unchecked. */
public class ThermoclineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ThermoclineException(String message) {
        super(message);
    }

    public ThermoclineException(String message, Throwable cause) {
        super(message, cause);
    }
}
