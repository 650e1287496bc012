package io.thermocline.rpc.security;

import io.thermocline.common.config.ConfigOption;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.rpc.protocol.RpcOptions;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/** TLS for SASL_SSL connections, from the {@code security.ssl.*} options (JDK TLS, 1.2 and 1.3). */
public final class TlsContexts {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {}

    /** A server's TLS, from its keystore; fails naming the option when it is missing or unreadable. */
    public static SslContext server(Configuration conf) {
        KeyStore keystore = load(conf, RpcOptions.SSL_KEYSTORE, RpcOptions.SSL_KEYSTORE_PASSWORD, true);
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keystore, password(conf, RpcOptions.SSL_KEYSTORE_PASSWORD));
            return SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
        } catch (Exception e) {
            throw new InvalidConfigException(RpcOptions.SSL_KEYSTORE.key() + " " + conf.get(RpcOptions.SSL_KEYSTORE)
                    + " cannot serve TLS: " + e.getMessage());
        }
    }

    /** A client's TLS, trusting its truststore (or the JDK's defaults without one). */
    public static SslContext client(Configuration conf) {
        KeyStore truststore = load(conf, RpcOptions.SSL_TRUSTSTORE, RpcOptions.SSL_TRUSTSTORE_PASSWORD, false);
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(truststore);
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PROTOCOLS).trustManager(trust)
                    .build();
        } catch (Exception e) {
            throw new InvalidConfigException(RpcOptions.SSL_TRUSTSTORE.key() + " cannot be used: " + e.getMessage());
        }
    }

    /** A client's TLS handler for one connection, checking the server's name unless turned off. */
    public static SslHandler clientHandler(SslContext context, Configuration conf, ByteBufAllocator alloc, String host,
            int port) {
        SslHandler handler = context.newHandler(alloc, host, port);
        if (conf.get(RpcOptions.SSL_ENDPOINT_IDENTIFICATION)) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return handler;
    }

    private static KeyStore load(Configuration conf, ConfigOption<String> location, ConfigOption<String> password,
            boolean required) {
        String path = conf.get(location);
        if (path == null) {
            if (required) {
                throw new InvalidConfigException(location.key() + " must be set for a SASL_SSL listener");
            }
            return null;
        }
        String type = path.endsWith(".jks") ? "JKS" : "PKCS12";
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password(conf, password));
            return store;
        } catch (Exception e) {
            throw new InvalidConfigException(location.key() + " " + path + " cannot be read as " + type + ": "
                    + e.getMessage());
        }
    }

    private static char[] password(Configuration conf, ConfigOption<String> option) {
        String value = conf.get(option);
        return value == null ? null : value.toCharArray();
    }
}
