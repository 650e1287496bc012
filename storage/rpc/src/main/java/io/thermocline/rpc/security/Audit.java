package io.thermocline.rpc.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;

/**
 * The audit log: one line for every refused connection or request, on the logger
 * {@code thermocline.audit} (route it to a file of its own in the logging configuration).
 */
public final class Audit {
    private static final Logger LOG = LoggerFactory.getLogger("thermocline.audit");

    private Audit() {}

    public static void authenticationFailed(SocketAddress client, String mechanism, String user, String reason) {
        LOG.warn("DENIED authentication client={} mechanism={} user={} reason=\"{}\"", client, mechanism,
                user == null ? "-" : user, reason);
    }

    public static void credentialRevoked(SocketAddress client, String user, String reason) {
        LOG.warn("CLOSED connection client={} user={} reason=\"{}\"", client, user, reason);
    }

    public static void denied(Principal principal, SocketAddress client, String operation, String resource,
            String api) {
        LOG.warn("DENIED principal={} client={} operation={} resource={} api={}", principal, client, operation,
                resource, api);
    }
}
