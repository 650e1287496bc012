package io.thermocline.benchmarks.versus;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The few Redis commands the SQL-serving benchmark sends (SET, GET), over one connection in
 * Redis's wire protocol (RESP): a request, then its reply, as a Redis client without pipelining
 * does. Not thread-safe: one per thread.
 */
final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RespClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        out = new BufferedOutputStream(socket.getOutputStream());
        in = new BufferedInputStream(socket.getInputStream());
    }

    void set(String key, String value) throws IOException {
        send("SET", key, value);
        String reply = line();
        if (!reply.equals("+OK")) {
            throw new IOException("SET " + key + ": " + reply);
        }
    }

    /** The value of a key; null when it has none. */
    String get(String key) throws IOException {
        send("GET", key);
        String header = line();
        if (!header.startsWith("$")) {
            throw new IOException("GET " + key + ": " + header);
        }
        int length = Integer.parseInt(header.substring(1));
        if (length < 0) {
            return null;
        }
        byte[] value = in.readNBytes(length);
        line(); // the CRLF after the bulk string
        return new String(value, StandardCharsets.UTF_8);
    }

    private void send(String... parts) throws IOException {
        StringBuilder request = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            request.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
        }
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.append((char) c);
        }
        in.read(); // '\n'
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
