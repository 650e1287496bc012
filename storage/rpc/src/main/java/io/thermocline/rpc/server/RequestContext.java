package io.thermocline.rpc.server;

import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.security.Principal;
import io.thermocline.rpc.security.SecurityProtocol;

import java.net.SocketAddress;

/**
 * What a handler knows about the request besides its body: who sent it ({@link Principal#ANONYMOUS}
 * on a PLAINTEXT listener) and on which listener it arrived.
 */
public record RequestContext(ApiKeys api, short apiVersion, int requestId, SocketAddress remoteAddress,
        Principal principal, SecurityProtocol listener) {}
