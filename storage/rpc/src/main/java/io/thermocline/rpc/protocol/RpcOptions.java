package io.thermocline.rpc.protocol;

import io.thermocline.common.config.ConfigOption;
import io.thermocline.common.config.ConfigOptions;
import io.thermocline.common.config.MemorySize;

import java.time.Duration;

/** Options of the RPC layer, for servers and clients alike. */
public final class RpcOptions {
    private RpcOptions() {}

    public static final ConfigOption<MemorySize> MAX_FRAME_SIZE = ConfigOptions.key("rpc.max-frame-size")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(64))
            .withDescription("Largest request or response frame accepted; a larger request is answered with"
                    + " an error naming both sizes and its connection is closed.")
            .checkedBy(s -> s.bytes() >= 1024 && s.bytes() <= Integer.MAX_VALUE, "between 1 kb and 2 gb - 1");

    public static final ConfigOption<Duration> REQUEST_TIMEOUT = ConfigOptions.key("rpc.request-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("How long a client waits for a response before failing the request as timed out.")
            .checkedBy(d -> !d.isNegative() && !d.isZero(), "positive");

    public static final ConfigOption<Integer> SERVER_IO_THREADS = ConfigOptions.key("rpc.server.io-threads")
            .intType()
            .defaultValue(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .withDescription("Netty event loop threads of a server: framing and socket I/O only.")
            .checkedBy(n -> n >= 1, "at least 1");
}
