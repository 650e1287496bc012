package io.thermocline.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server started for a benchmark (the Debian package's {@code redis-server}, in-memory, no
 * persistence) and a minimal RESP client for SET and GET, single or pipelined. Speaking RESP
 * directly keeps a client library's overhead out of the comparison.
 */
final class RedisPeer implements AutoCloseable {
    private final Process process;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RedisPeer(Process process, Socket socket) throws IOException {
        this.process = process;
        this.socket = socket;
        this.socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    static RedisPeer start(int port, Path dir) throws Exception {
        Process process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--bind", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return new RedisPeer(process, new Socket("127.0.0.1", port));
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    process.destroyForcibly();
                    throw new IllegalStateException("redis-server did not start on port " + port
                            + " (install it with: apt-get install -y redis-server)", e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Sends SETs for all pairs in one pipeline and reads every answer. */
    void setAll(List<byte[]> keys, List<byte[]> values) throws IOException {
        for (int i = 0; i < keys.size(); i++) {
            command(out, "SET".getBytes(StandardCharsets.US_ASCII), keys.get(i), values.get(i));
        }
        out.flush();
        for (int i = 0; i < keys.size(); i++) {
            readReply();
        }
    }

    /** One GET, waiting for its answer. */
    byte[] get(byte[] key) throws IOException {
        command(out, "GET".getBytes(StandardCharsets.US_ASCII), key);
        out.flush();
        return readReply();
    }

    /** GETs of many keys in one pipeline. */
    int getAll(List<byte[]> keys) throws IOException {
        for (byte[] key : keys) {
            command(out, "GET".getBytes(StandardCharsets.US_ASCII), key);
        }
        out.flush();
        int found = 0;
        for (int i = 0; i < keys.size(); i++) {
            found += readReply() != null ? 1 : 0;
        }
        return found;
    }

    private static void command(OutputStream out, byte[]... parts) throws IOException {
        out.write(("*" + parts.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] part : parts) {
            out.write(("$" + part.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.write('\r');
            out.write('\n');
        }
    }

    /** A simple string, integer or bulk string reply; null for a null bulk string. */
    private byte[] readReply() throws IOException {
        int type = in.read();
        String line = readLine();
        switch (type) {
            case '+':
            case ':':
                return line.getBytes(StandardCharsets.US_ASCII);
            case '$':
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] value = in.readNBytes(length);
                in.read();
                in.read();
                return value;
            default:
                throw new IOException("Unexpected Redis reply '" + (char) type + line + "'");
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
    public void close() throws Exception {
        socket.close();
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
