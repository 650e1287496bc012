package io.thermocline.testservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server in a process of its own, listening on a fixed port of 127.0.0.1 so that a stop and a
 * start (an outage) keep its address. Its output goes to a log file beside its data.
 */
public abstract class ServerProcess implements ServerControl, AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    protected final Path dir;
    protected final int port;
    private Process process;

    protected ServerProcess(Path dir) {
        this(dir, freePort());
    }

    /** A server that listens on {@code port}, which the caller chose. */
    protected ServerProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command that runs the server in the foreground. */
    protected abstract List<String> command() throws IOException;

    /** Environment variables of the server process. */
    protected Map<String, String> environment() {
        return Map.of();
    }

    /** What the server is called in errors. */
    protected abstract String name();

    public int port() {
        return port;
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(command()).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name() + ".log").toFile()));
            builder.environment().putAll(environment());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name() + " exited with " + process.exitValue() + "; see "
                        + dir.resolve(name() + ".log"));
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException(name() + " did not listen on port " + port + " within " + START_TIMEOUT
                        + "; see " + dir.resolve(name() + ".log"));
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The classpath of the servers that run on the JVM (this module's dependencies). */
    protected static String serversClasspath() {
        try (java.io.InputStream in = ServerProcess.class.getResourceAsStream("servers.classpath")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A port of 127.0.0.1 that nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
