package io.thermocline.rpc.server;

import io.thermocline.rpc.security.Audit;
import io.thermocline.rpc.security.CredentialStore;
import io.thermocline.rpc.security.Principal;
import io.thermocline.rpc.security.ScramCredential;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes the authenticated connections of users who were dropped or given a new password since
 * they authenticated: a connection is only as good as the credential it proved, and a revoked one
 * must not keep working for as long as the client stays connected. Runs every interval, reading
 * each connected user's credential once.
 */
final class CredentialSweep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialSweep.class);

    private final ChannelGroup connections;
    private final CredentialStore credentials;
    private final ScheduledExecutorService timer;

    CredentialSweep(ChannelGroup connections, CredentialStore credentials, Duration interval, String name) {
        this.connections = connections;
        this.credentials = credentials;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "credential-sweep-" + name);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass; public to the package for tests that do not wait for the timer. */
    void sweep() {
        try {
            Map<String, Optional<ScramCredential>> current = new HashMap<>();
            for (Channel channel : List.copyOf(connections)) {
                ScramCredential held = channel.attr(SaslAuthenticator.CREDENTIAL).get();
                Principal principal = channel.attr(SaslAuthenticator.PRINCIPAL).get();
                if (held == null || principal == null) {
                    continue; // not authenticated (yet)
                }
                Optional<ScramCredential> now = current.computeIfAbsent(principal.name(), credentials::credential);
                if (now.isEmpty() || !now.get().encode().equals(held.encode())) {
                    Audit.credentialRevoked(channel.remoteAddress(), principal.name(), now.isEmpty()
                            ? "the user was dropped" : "the user's password changed");
                    channel.close();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Checking connections' credentials failed; next try in one interval", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
