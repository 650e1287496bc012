package io.thermocline.rpc.server;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.NetworkException;
import io.thermocline.rpc.protocol.RpcOptions;
import io.thermocline.rpc.security.SecurityProtocol;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server speaking the RPC protocol for one {@link RpcService}. Socket I/O and framing run on
 * Netty event loops; handlers run on a separate executor, so that a slow handler never stalls a
 * socket. Closing stops accepting, closes connections and waits for the threads.
 */
public final class RpcServer implements AutoCloseable {
    private final String host;
    private final int requestedPort;
    private final RpcService service;
    private final Configuration conf;
    private final ListenerSecurity security;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ExecutorService handlerExecutor;
    private Channel serverChannel;
    /** Accepted connections, closed explicitly on shutdown so that clients learn at once. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** @param port 0 picks a free port; see {@link #port()} after {@link #start()} */
    public RpcServer(String host, int port, RpcService service, Configuration conf) {
        this(host, port, service, conf, ListenerSecurity.PLAINTEXT);
    }

    /** A listener whose connections are protected as {@code security} says (TLS, SASL). */
    public RpcServer(String host, int port, RpcService service, Configuration conf, ListenerSecurity security) {
        this.host = host;
        this.requestedPort = port;
        this.service = service;
        this.conf = conf;
        this.security = security;
    }

    public RpcServer start() {
        int maxFrameSize = (int) conf.get(RpcOptions.MAX_FRAME_SIZE).bytes();
        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(conf.get(RpcOptions.SERVER_IO_THREADS), NioIoHandler.newFactory());
        handlerExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "rpc-handler-" + requestedPort);
            t.setDaemon(true);
            return t;
        });
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (closed.get()) {
                            ch.close(); // accepted while shutting down: never outlives close()
                            return;
                        }
                        connections.add(ch);
                        if (security.tls() != null) {
                            ch.pipeline().addLast("tls", security.tls().newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("frames", new RequestFrameDecoder(maxFrameSize));
                        if (security.protocol().sasl()) {
                            ch.pipeline().addLast("sasl", new SaslAuthenticator(security, handlerExecutor));
                        }
                        ch.pipeline().addLast("dispatcher", new RequestDispatcher(service, handlerExecutor,
                                security.protocol()));
                    }
                });
        try {
            serverChannel = bootstrap.bind(host, requestedPort).sync().channel();
        } catch (Exception e) {
            close();
            throw new NetworkException("Cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** The port listened on. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public String host() {
        return host;
    }

    public SecurityProtocol protocol() {
        return security.protocol();
    }

    /** Idempotent; every wait is bounded, so a stuck peer never hangs shutdown. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        if (handlerExecutor != null) {
            // No interrupts: a handler interrupted in file I/O would close the file's channel for
            // everyone (FileChannel is interruptible). Handlers finish; a bounded wait.
            handlerExecutor.shutdown();
            try {
                handlerExecutor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
