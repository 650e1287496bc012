package io.thermocline.server.tools;

import io.thermocline.common.config.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A tablet server running as a child OS process ({@link TabletServerMain}) on a given class path,
 * its output in a log file. {@link #kill()} is kill -9: no controlled shutdown, no flush.
 */
public final class TabletServerProcess {
    private final Process process;
    private final Path logFile;
    private final int port;

    private TabletServerProcess(Process process, Path logFile, int port) {
        this.process = process;
        this.logFile = logFile;
        this.port = port;
    }

    /** Starts a server and waits until it serves (it may wait out a dead predecessor's session). */
    public static TabletServerProcess start(Configuration conf, String classPath, Path logFile, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(classPath);
        command.add(TabletServerMain.class.getName());
        for (Map.Entry<String, String> option : conf.toMap().entrySet()) {
            command.add(option.getKey() + "=" + option.getValue());
        }
        try {
            Files.createDirectories(logFile.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
                    // A restart appends to the same file: only a line of this process counts.
                    if (line.startsWith(TabletServerMain.READY) && line.endsWith(" pid=" + process.pid())) {
                        return new TabletServerProcess(process, logFile, Integer.parseInt(line.split(" ")[2]));
                    }
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("Tablet server process exited with " + process.exitValue()
                            + " before serving; see " + logFile);
                }
                Thread.sleep(50);
            }
            process.destroyForcibly();
            throw new IllegalStateException("Tablet server process did not serve within " + timeout + "; see " + logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting a tablet server process", e);
        }
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGSTOP: the process freezes, sockets open, as in a long GC pause or a hung disk. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then waits at most {@code within} for the process to end; true when it did. */
    public boolean terminate(Duration within) {
        process.destroy();
        try {
            return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A polite stop (SIGTERM): leaderships move away first. */
    public void stop() {
        process.destroy();
        waitFor();
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
