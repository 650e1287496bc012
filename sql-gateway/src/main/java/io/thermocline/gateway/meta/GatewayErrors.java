package io.thermocline.gateway.meta;

import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Errors as JDBC clients receive them: an SQLException whose message is Flink's (which names
 * table, column and position), with the causes' messages that add something, and no server stack.
 */
final class GatewayErrors {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayErrors.class);
    /** SQLSTATE of a statement Flink refused or failed to run. */
    static final String SQL_STATE = "42000";
    /** Not Avatica's own codes (1 would tell the driver its connection is gone). */
    static final int ERROR_CODE = 100;

    private GatewayErrors() {}

    static AvaticaRuntimeException error(String message) {
        return new ClientError(message, ERROR_CODE, SQL_STATE);
    }

    /** The connection is not open here; Avatica's code for it lets a driver that can reopen do so. */
    static AvaticaRuntimeException noConnection(String connectionId) {
        return new ClientError("Connection " + connectionId + " is not open: it was closed, or idle for longer than"
                + " gateway.connection.idle-timeout", Service.ErrorResponse.MISSING_CONNECTION_ERROR_CODE,
                Service.ErrorResponse.UNKNOWN_SQL_STATE);
    }

    /** Avatica sends an error's stack trace with it: this one has none, the server's stays on the server. */
    private static final class ClientError extends AvaticaRuntimeException {
        private static final long serialVersionUID = 1L;

        ClientError(String message, int code, String sqlState) {
            super(message, code, sqlState, AvaticaSeverity.ERROR);
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
        LOG.info("A statement failed; the client is told", failure);
        Set<String> messages = new LinkedHashSet<>();
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            String message = t.getMessage();
            if (messages.size() < 6 && message != null && !message.isBlank()
                    && messages.stream().noneMatch(m -> m.contains(message.strip()))) {
                messages.add(message.strip());
            }
        }
        // The root cause says what went wrong (a job that failed says why only at the bottom of its chain).
        String rootMessage = root.getMessage();
        if (rootMessage != null && !rootMessage.isBlank() && messages.stream().noneMatch(m -> m.contains(rootMessage.strip()))) {
            messages.add(rootMessage.strip());
        }
        String text = messages.isEmpty() ? failure.getClass().getSimpleName() : String.join("\nCaused by: ", messages);
        return error(text);
    }
}
