package io.thermocline.rpc.server;

import io.thermocline.rpc.protocol.ApiKeys;

import java.net.SocketAddress;

/** What a handler knows about the request besides its body. */
public record RequestContext(ApiKeys api, short apiVersion, int requestId, SocketAddress remoteAddress) {}
