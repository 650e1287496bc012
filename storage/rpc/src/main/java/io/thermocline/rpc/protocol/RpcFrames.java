package io.thermocline.rpc.protocol;

/**
 * The frames around protobuf messages; all integers big-endian (network order).
 *
 * <pre>
 * request:  int32 length | int16 api key | int16 api version | int32 request id | body
 * response: int32 length | int32 request id | int16 error code | body
 * </pre>
 *
 * <p>{@code length} counts the bytes after itself. A response body is the protobuf response
 * when the error code is 0, else the UTF-8 error message. Request ids are chosen by the client,
 * unique among its requests in flight on one connection.
 */
public final class RpcFrames {
    private RpcFrames() {}

    public static final int LENGTH_FIELD_SIZE = 4;
    public static final int REQUEST_HEADER_SIZE = 2 + 2 + 4;
    public static final int RESPONSE_HEADER_SIZE = 4 + 2;
}
