package io.thermocline.gateway.meta;

import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Errors as JDBC clients receive them: an SQLException whose message is Flink's (which names
 * table, column and position), with the causes' messages that add something, and no server stack.
 */
final class GatewayErrors {
    /** SQLSTATE of a statement Flink refused or failed to run. */
    static final String SQL_STATE = "42000";
    static final int ERROR_CODE = 1;

    private GatewayErrors() {}

    static AvaticaRuntimeException error(String message) {
        return new ClientError(message);
    }

    /** Avatica sends an error's stack trace with it: this one has none, the server's stays on the server. */
    private static final class ClientError extends AvaticaRuntimeException {
        private static final long serialVersionUID = 1L;

        ClientError(String message) {
            super(message, ERROR_CODE, SQL_STATE, AvaticaSeverity.ERROR);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    static AvaticaRuntimeException of(Throwable failure) {
        if (failure instanceof AvaticaRuntimeException) {
            return (AvaticaRuntimeException) failure;
        }
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = failure; t != null && messages.size() < 6; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && messages.stream().noneMatch(m -> m.contains(message.strip()))) {
                messages.add(message.strip());
            }
        }
        String text = messages.isEmpty() ? failure.getClass().getSimpleName() : String.join("\nCaused by: ", messages);
        return error(text);
    }
}
