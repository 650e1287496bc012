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
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

    private Channel serverChannel;
    private CredentialSweep credentialSweep;
    /** Accepted connections, closed explicitly on shutdown so that clients learn at once. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicLong refusedConnections = new AtomicLong();

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
        int handlers = conf.get(RpcOptions.SERVER_HANDLER_THREADS);
        handlerExecutor = new ThreadPoolExecutor(handlers, handlers, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "rpc-handler-" + requestedPort);
                    t.setDaemon(true);
                    return t;
                });
        ((ThreadPoolExecutor) handlerExecutor).allowCoreThreadTimeOut(true);
        int maxConnections = conf.get(RpcOptions.SERVER_MAX_CONNECTIONS);
        int outbound = (int) conf.get(RpcOptions.SERVER_OUTBOUND_HIGH_WATER).bytes();
        RequestDispatcher.ConnectionLimits limits = new RequestDispatcher.ConnectionLimits(
                conf.get(RpcOptions.SERVER_MAX_INFLIGHT), conf.get(RpcOptions.SERVER_STALLED_READER_TIMEOUT));
        Duration authenticationTimeout = conf.get(RpcOptions.SASL_AUTHENTICATION_TIMEOUT);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(outbound / 2, outbound))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (closed.get()) {
                            ch.close(); // accepted while shutting down: never outlives close()
                            return;
                        }
                        if (connections.size() >= maxConnections) {
                            long refused = refusedConnections.getAndIncrement();
                            if (refused % 1000 == 0) { // a flood of them must not flood the log
                                LOG.warn("Refusing a connection from {}: {} connections are open, the most allowed"
                                        + " (rpc.server.max-connections); {} refused so far", ch.remoteAddress(),
                                        connections.size(), refused + 1);
                            }
                            ch.close();
                            return;
                        }
                        connections.add(ch);
                        if (security.tls() != null) {
                            ch.pipeline().addLast("tls", security.tls().newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("frames", new RequestFrameDecoder(maxFrameSize));
                        if (security.protocol().sasl()) {
                            ch.pipeline().addLast("sasl", new SaslAuthenticator(security, handlerExecutor,
                                    authenticationTimeout));
                        }
                        ch.pipeline().addLast("dispatcher", new RequestDispatcher(service, handlerExecutor,
                                security.protocol(), limits));
                    }
                });
        if (security.protocol().sasl()) {
            credentialSweep = new CredentialSweep(connections, security.credentials(),
                    conf.get(RpcOptions.SASL_CREDENTIAL_CHECK_INTERVAL), Integer.toString(requestedPort));
        }
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

    /** Connections open now. */
    public int openConnections() {
        return connections.size();
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
        if (credentialSweep != null) {
            credentialSweep.close();
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
