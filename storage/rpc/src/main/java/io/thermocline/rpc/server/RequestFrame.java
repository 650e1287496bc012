package io.thermocline.rpc.server;

import io.netty.buffer.ByteBuf;

/** A decoded request frame; the body is retained and must be released by whoever consumes it. */
record RequestFrame(short apiKey, short apiVersion, int requestId, ByteBuf body) {}
