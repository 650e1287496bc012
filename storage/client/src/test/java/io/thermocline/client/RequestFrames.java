package io.thermocline.client;

import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.RpcFrames;

import java.nio.ByteBuffer;

/** Raw request frames, for tests that talk to a server below the client: fuzzing, misbehaving clients. */
final class RequestFrames {
    private RequestFrames() {}

    /** A well-formed frame of {@code api} at its newest version, request id 7, around {@code body}. */
    static byte[] request(ApiKeys api, byte[] body) {
        ByteBuffer frame = ByteBuffer.allocate(RpcFrames.LENGTH_FIELD_SIZE + RpcFrames.REQUEST_HEADER_SIZE + body.length);
        frame.putInt(RpcFrames.REQUEST_HEADER_SIZE + body.length).putShort(api.id()).putShort(api.maxVersion())
                .putInt(7).put(body);
        return frame.array();
    }
}
