package io.thermocline.rpc.client;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.NetworkException;
import io.thermocline.rpc.protocol.RpcOptions;
import io.thermocline.rpc.security.SecurityProtocol;
import io.thermocline.rpc.security.TlsContexts;

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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
    private final Configuration conf;
    private final SecurityProtocol protocol;
    private final SslContext tls;

    /** Connections are made as {@code security.protocol} says, authenticating with {@code security.sasl.*}. */
    public RpcClient(Configuration conf) {
        this.maxFrameSize = (int) conf.get(RpcOptions.MAX_FRAME_SIZE).bytes();
        this.requestTimeoutMs = conf.get(RpcOptions.REQUEST_TIMEOUT).toMillis();
        this.conf = conf;
        this.protocol = conf.get(RpcOptions.SECURITY_PROTOCOL);
        if (protocol.sasl() && (conf.get(RpcOptions.SASL_USERNAME) == null || conf.get(RpcOptions.SASL_PASSWORD) == null)) {
            throw new InvalidConfigException(RpcOptions.SECURITY_PROTOCOL.key() + " " + protocol + " needs "
                    + RpcOptions.SASL_USERNAME.key() + " and " + RpcOptions.SASL_PASSWORD.key());
        }
        this.tls = protocol.tls() ? TlsContexts.client(conf) : null;
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

    /**
     * Connects, and for a SASL protocol authenticates, before the connection is handed out. The
     * future fails with {@link NetworkException} naming the address when it cannot connect (or the
     * TLS handshake fails), and with the server's {@link io.thermocline.common.exception.AuthenticationException}
     * when the credentials are refused.
     */
    public CompletableFuture<ServerConnection> connect(InetSocketAddress address) {
        CompletableFuture<ServerConnection> result = new CompletableFuture<>();
        Bootstrap secured = tls == null ? bootstrap : bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast("tls", TlsContexts.clientHandler(tls, conf, ch.alloc(), address.getHostString(),
                        address.getPort()));
                ch.pipeline().addLast("frames", new LengthFieldBasedFrameDecoder(maxFrameSize, 0, 4, 0, 4));
            }
        });
        ChannelFuture connect = secured.connect(address);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(unreachable(address, f.cause()));
                return;
            }
            Channel channel = connect.channel();
            ServerConnection connection = new ServerConnection(channel, address, requestTimeoutMs);
            channel.pipeline().addLast("responses", connection.responseHandler());
            Future<Channel> handshake = tls == null ? channel.eventLoop().newSucceededFuture(channel)
                    : channel.pipeline().get(SslHandler.class).handshakeFuture();
            handshake.addListener(h -> {
                if (!h.isSuccess()) {
                    channel.close();
                    result.completeExceptionally(unreachable(address, h.cause()));
                } else if (!protocol.sasl()) {
                    result.complete(connection);
                } else {
                    SaslExchange.run(connection, conf).whenComplete((done, error) -> {
                        if (error == null) {
                            result.complete(connection);
                        } else {
                            channel.close();
                            result.completeExceptionally(error instanceof CompletionException ? error.getCause() : error);
                        }
                    });
                }
            });
        });
        return result;
    }

    private static NetworkException unreachable(InetSocketAddress address, Throwable cause) {
        return new NetworkException("Cannot connect to " + address.getHostString() + ":" + address.getPort() + ": "
                + cause.getMessage(), cause);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
