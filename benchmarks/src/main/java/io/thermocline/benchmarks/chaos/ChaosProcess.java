package io.thermocline.benchmarks.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server of the chaos cluster as an OS process, started again after each kill on the same
 * command line, its output appended to one log: what an operator's process supervisor would do.
 */
final class ChaosProcess {
    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    ChaosProcess(String name, String classpath, String jvmOption, String heap, String mainClass, List<String> args,
            Path log) {
        this.name = name;
        this.log = log;
        this.command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                jvmOption, "-Xmx" + heap, "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "-cp", classpath, mainClass));
        command.addAll(args);
    }

    String name() {
        return name;
    }

    synchronized ChaosProcess start() throws IOException {
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return this;
    }

    /** Lines of this process's log (all its runs) that contain {@code text}. */
    long logLines(String text) {
        try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(text)).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** kill -9, and waits until the process is gone. */
    synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: frozen with its sockets open, as in a long GC pause or a stalled VM. */
    synchronized void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    synchronized void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " of " + name + " failed");
        }
    }

    /** SIGTERM, then kill -9 if it has not stopped within 30 s. */
    synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Waits until something listens on the port; fails naming the log when the process dies first. */
    void awaitPort(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new IllegalStateException(name + " exited before listening on " + port + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(name + " does not listen on " + port + " after " + timeout + "; see " + log);
    }
}
