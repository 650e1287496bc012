package io.thermocline.server.security;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.rpc.protocol.RpcOptions;
import io.thermocline.rpc.security.CredentialStore;
import io.thermocline.rpc.security.SecurityProtocol;
import io.thermocline.rpc.server.ListenerSecurity;
import io.thermocline.rpc.server.RpcServer;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.config.ServerOptions;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A server's listeners ({@link ServerOptions#LISTENERS}): one RPC server per protocol, all serving
 * the same APIs. The one of {@code security.protocol} is where other servers reach it.
 */
public final class ServerListeners implements AutoCloseable {
    private final Map<SecurityProtocol, RpcServer> servers;
    private final SecurityProtocol interServer;
    private final String advertisedHost;

    private ServerListeners(Map<SecurityProtocol, RpcServer> servers, SecurityProtocol interServer,
            String advertisedHost) {
        this.servers = servers;
        this.interServer = interServer;
        this.advertisedHost = advertisedHost;
    }

    /** Starts every listener; a bad listener setting fails naming the option, leaving nothing running. */
    public static ServerListeners start(Configuration conf, RpcService service, CredentialStore credentials) {
        Map<SecurityProtocol, String[]> addresses = parse(conf);
        SecurityProtocol interServer = conf.get(RpcOptions.SECURITY_PROTOCOL);
        if (!addresses.containsKey(interServer)) {
            throw new InvalidConfigException(RpcOptions.SECURITY_PROTOCOL.key() + " is " + interServer
                    + ", but the server has no such listener (" + ServerOptions.LISTENERS.key() + ": "
                    + addresses.keySet() + "): other servers could not reach it");
        }
        Map<SecurityProtocol, RpcServer> servers = new EnumMap<>(SecurityProtocol.class);
        try {
            for (Map.Entry<SecurityProtocol, String[]> listener : addresses.entrySet()) {
                String[] hostPort = listener.getValue();
                ListenerSecurity security = ListenerSecurity.of(listener.getKey(), conf, credentials);
                servers.put(listener.getKey(), new RpcServer(hostPort[0], Integer.parseInt(hostPort[1]), service, conf,
                        security).start());
            }
        } catch (RuntimeException e) {
            servers.values().forEach(RpcServer::close);
            throw e;
        }
        return new ServerListeners(servers, interServer, conf.get(ServerOptions.BIND_HOST));
    }

    private static Map<SecurityProtocol, String[]> parse(Configuration conf) {
        Map<SecurityProtocol, String[]> addresses = new LinkedHashMap<>();
        String listeners = conf.get(ServerOptions.LISTENERS);
        if (listeners == null || listeners.isBlank()) {
            addresses.put(SecurityProtocol.PLAINTEXT, new String[] {conf.get(ServerOptions.BIND_HOST),
                Integer.toString(conf.get(ServerOptions.BIND_PORT))});
            return addresses;
        }
        for (String listener : listeners.split(",")) {
            String[] protocolAndAddress = listener.trim().split("://");
            SecurityProtocol protocol = SecurityProtocol.valueOf(protocolAndAddress[0]);
            int colon = protocolAndAddress[1].lastIndexOf(':');
            String[] hostPort = {protocolAndAddress[1].substring(0, colon), protocolAndAddress[1].substring(colon + 1)};
            if (addresses.put(protocol, hostPort) != null) {
                throw new InvalidConfigException(ServerOptions.LISTENERS.key() + " names " + protocol + " twice: one"
                        + " listener per protocol");
            }
        }
        return addresses;
    }

    /** The listener other servers use. */
    public RpcServer interServer() {
        return servers.get(interServer);
    }

    /** The port of the listener of {@code protocol}. */
    public int port(SecurityProtocol protocol) {
        RpcServer server = servers.get(protocol);
        if (server == null) {
            throw new IllegalArgumentException("No " + protocol + " listener; listeners: " + servers.keySet());
        }
        return server.port();
    }

    /** The host others reach a listener at: its host, or bind.host for a wildcard listener. */
    public String host(SecurityProtocol protocol) {
        String host = servers.get(protocol).host();
        return host.equals("0.0.0.0") || host.equals("::") ? advertisedHost : host;
    }

    /** Every listener's host:port by protocol name, as the server registers them. */
    public Map<String, String> endpoints() {
        Map<String, String> endpoints = new LinkedHashMap<>();
        servers.keySet().forEach(protocol -> endpoints.put(protocol.name(), host(protocol) + ":" + port(protocol)));
        return endpoints;
    }

    /** Connections open on all listeners now. */
    public int openConnections() {
        return servers.values().stream().mapToInt(RpcServer::openConnections).sum();
    }

    public List<SecurityProtocol> protocols() {
        return new ArrayList<>(servers.keySet());
    }

    @Override
    public void close() {
        servers.values().forEach(RpcServer::close);
    }
}
