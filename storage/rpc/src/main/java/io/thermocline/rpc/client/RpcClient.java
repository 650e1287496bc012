package io.thermocline.rpc.client;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.NetworkException;
import io.thermocline.rpc.protocol.RpcOptions;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens {@link ServerConnection}s that share one set of event loop threads. Thread-safe. Closing
 * it closes every connection it opened.
 */
public final class RpcClient implements AutoCloseable {
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final int maxFrameSize;
    private final long requestTimeoutMs;

    public RpcClient(Configuration conf) {
        this.maxFrameSize = (int) conf.get(RpcOptions.MAX_FRAME_SIZE).bytes();
        this.requestTimeoutMs = conf.get(RpcOptions.REQUEST_TIMEOUT).toMillis();
        this.group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(requestTimeoutMs, Integer.MAX_VALUE))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Strips the length field; frames over the limit fail the connection.
                        ch.pipeline().addLast("frames", new LengthFieldBasedFrameDecoder(maxFrameSize, 0, 4, 0, 4));
                    }
                });
    }

    /** Connects; the future fails with {@link NetworkException} naming the address. */
    public CompletableFuture<ServerConnection> connect(InetSocketAddress address) {
        CompletableFuture<ServerConnection> result = new CompletableFuture<>();
        ChannelFuture connect = bootstrap.connect(address);
        connect.addListener(f -> {
            if (f.isSuccess()) {
                Channel channel = connect.channel();
                ServerConnection connection = new ServerConnection(channel, address, requestTimeoutMs);
                channel.pipeline().addLast("responses", connection.responseHandler());
                result.complete(connection);
            } else {
                result.completeExceptionally(new NetworkException(
                        "Cannot connect to " + address.getHostString() + ":" + address.getPort() + ": "
                                + f.cause().getMessage(), f.cause()));
            }
        });
        return result;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
