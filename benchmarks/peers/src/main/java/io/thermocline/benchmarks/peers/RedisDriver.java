package io.thermocline.benchmarks.peers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * Redis's side of the primary-key scenario: the same keys and the same row (the benchmark row's
 * encoding, as Kafka gets it) as SET and GET over one pipelined RESP connection. A reader thread
 * completes the replies in order, so commands in flight are pipelined as Redis's clients do;
 * speaking RESP directly keeps a client library's overhead out of the comparison.
 */
final class RedisDriver implements KvRun.Table, AutoCloseable {
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private final PeerDriver.Workload workload;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final Queue<CompletableFuture<byte[]>> pending = new ArrayDeque<>();
    private final Thread reader;

    RedisDriver(PeerDriver.Workload workload) throws IOException {
        this.workload = workload;
        String[] hostPort = workload.bootstrap().split(":");
        this.socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        socket.setTcpNoDelay(true);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.reader = new Thread(this::readReplies, "redis-replies");
        reader.setDaemon(true);
        reader.start();
    }

    DriverResult run(String scenario) throws Exception {
        if (!scenario.equals("kv")) {
            throw new IllegalArgumentException("Redis has only the kv scenario, not " + scenario);
        }
        return KvRun.run(workload.rows(), workload.lookups(), this);
    }

    @Override
    public CompletableFuture<?> upsert(long key) {
        // Buffered: the upserts go out in 64 KiB writes, like a pipelining client's.
        return send(false, SET, key(key), BenchRow.encode(key, key));
    }

    @Override
    public void flush() throws IOException {
        synchronized (this) {
            out.flush();
        }
    }

    @Override
    public CompletableFuture<Boolean> lookup(long key) {
        return send(true, GET, key(key)).thenApply(value -> value != null);
    }

    private static byte[] key(long key) {
        return Long.toString(key).getBytes(StandardCharsets.US_ASCII);
    }

    private synchronized CompletableFuture<byte[]> send(boolean flush, byte[]... parts) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        try {
            out.write(("*" + parts.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] part : parts) {
                out.write(("$" + part.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(part);
                out.write('\r');
                out.write('\n');
            }
            synchronized (pending) {
                pending.add(reply);
            }
            if (flush) {
                out.flush();
            }
        } catch (IOException e) {
            reply.completeExceptionally(e);
        }
        return reply;
    }

    private void readReplies() {
        try {
            while (true) {
                byte[] value = readReply();
                CompletableFuture<byte[]> reply;
                synchronized (pending) {
                    reply = pending.poll();
                }
                if (reply == null) {
                    throw new IOException("a Redis reply nobody asked for");
                }
                reply.complete(value);
            }
        } catch (IOException e) {
            synchronized (pending) {
                pending.forEach(reply -> reply.completeExceptionally(e));
                pending.clear();
            }
        }
    }

    /** A simple string, integer or bulk string reply; null for a null bulk string. */
    private byte[] readReply() throws IOException {
        int type = in.read();
        String line = readLine();
        switch (type) {
            case '+', ':' -> {
                return line.getBytes(StandardCharsets.US_ASCII);
            }
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] value = in.readNBytes(length);
                readLine();
                return value;
            }
            default -> throw new IOException("Redis replied '" + (char) type + line + "'");
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.append((char) c);
        }
        in.read(); // \n
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
