package io.thermocline.gateway.guard;

import org.apache.flink.table.api.ValidationException;

/**
 * A statement the gateway will not run for its users: it names what was refused (the connector,
 * the option, the statement kind) and the gateway option that would allow it, if any. Nothing of
 * the statement ran.
 */
public final class StatementRefusedException extends ValidationException {
    private static final long serialVersionUID = 1L;

    public StatementRefusedException(String message) {
        super(message);
    }
}
