package io.thermocline.rpc.server;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.rpc.protocol.RpcOptions;
import io.thermocline.rpc.security.CredentialStore;
import io.thermocline.rpc.security.SaslMechanisms;
import io.thermocline.rpc.security.SecurityProtocol;
import io.thermocline.rpc.security.TlsContexts;

import io.netty.handler.ssl.SslContext;

import java.util.Arrays;
import java.util.List;

/** How one listener protects its connections: TLS, and which SASL mechanisms it takes against which credentials. */
public record ListenerSecurity(SecurityProtocol protocol, SslContext tls, List<String> mechanisms,
        boolean plainWithoutTls, CredentialStore credentials) {
    public static final ListenerSecurity PLAINTEXT =
            new ListenerSecurity(SecurityProtocol.PLAINTEXT, null, List.of(), false, CredentialStore.NONE);

    /** A listener of {@code protocol} configured by the {@code security.*} options; fails naming a missing one. */
    public static ListenerSecurity of(SecurityProtocol protocol, Configuration conf, CredentialStore credentials) {
        if (protocol == SecurityProtocol.PLAINTEXT) {
            return PLAINTEXT;
        }
        List<String> mechanisms = Arrays.stream(conf.get(RpcOptions.SASL_ENABLED_MECHANISMS).split(","))
                .map(String::trim).filter(m -> !m.isEmpty()).toList();
        if (mechanisms.isEmpty()) {
            throw new InvalidConfigException(RpcOptions.SASL_ENABLED_MECHANISMS.key() + " is empty: a " + protocol
                    + " listener needs a SASL mechanism");
        }
        SslContext tls = protocol.tls() ? TlsContexts.server(conf) : null;
        return new ListenerSecurity(protocol, tls, mechanisms, conf.get(RpcOptions.SASL_PLAIN_WITHOUT_TLS), credentials);
    }

    /** The mechanisms a client may pick here: PLAIN only with TLS, or where explicitly allowed. */
    List<String> offered() {
        return mechanisms.stream().filter(m -> !m.equals(SaslMechanisms.PLAIN) || protocol.tls() || plainWithoutTls)
                .toList();
    }
}
