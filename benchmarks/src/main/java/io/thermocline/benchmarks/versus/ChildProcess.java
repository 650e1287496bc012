package io.thermocline.benchmarks.versus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A process the harness starts (a server or a driver, mostly JVMs), its output in a log file; stopped with SIGTERM. */
final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildProcess start(String classpath, String heap, Path log, String mainClass, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        command.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        command.add("--add-opens=java.base/java.util=ALL-UNNAMED");
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        return start(command, log);
    }

    static ChildProcess start(List<String> command, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ChildProcess(process, log);
    }

    /** Waits until something listens on the port; fails with the log's tail when the process dies first. */
    ChildProcess awaitPort(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("exited with " + process.exitValue() + " before listening on " + port
                        + "; log " + log + ":\n" + tail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("nothing listens on " + port + " after " + timeout + "; log " + log + ":\n"
                + tail());
    }

    /** Waits for the process to end; fails with the log's tail unless it ended well. */
    void awaitSuccess(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            String tail = tail();
            String stack = mainThreadStack();
            process.destroyForcibly();
            throw new IllegalStateException("did not finish within " + timeout + "; log " + log + ":\n" + tail
                    + "\nits main thread:\n" + stack);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exited with " + process.exitValue() + "; log " + log + ":\n" + tail());
        }
    }

    /**
     * The main thread's stack of a JVM that hangs, from the thread dump SIGQUIT makes it print into
     * its log (which keeps every thread's): a failure then says where the driver waits.
     */
    private String mainThreadStack() {
        try {
            long before = Files.size(log);
            new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            Thread.sleep(2_000);
            byte[] bytes = Files.readAllBytes(log);
            String dump = new String(bytes, (int) before, bytes.length - (int) before, StandardCharsets.UTF_8);
            int start = dump.indexOf("\n\"main\"");
            if (start < 0) {
                return "(no thread dump)";
            }
            int end = dump.indexOf("\n\n", start + 1);
            return dump.substring(start + 1, end < 0 ? dump.length() : end);
        } catch (IOException | RuntimeException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
