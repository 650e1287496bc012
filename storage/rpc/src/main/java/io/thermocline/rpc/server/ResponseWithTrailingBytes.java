package io.thermocline.rpc.server;

import io.thermocline.rpc.protocol.TrailingBytes;

import com.google.protobuf.MessageLite;

import java.util.List;

/** A response message and the raw bytes that follow it, for APIs with trailing bytes. */
public record ResponseWithTrailingBytes(MessageLite message, List<TrailingBytes> trailing) {}
