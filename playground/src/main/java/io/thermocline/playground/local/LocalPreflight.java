package io.thermocline.playground.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * What {@code thermocline local} checks before it starts anything, so that a bad start touches no
 * data: the data directory can be written, no other instance holds it (a lock file held while
 * this one runs), and every port is free. Each failure is one line and an exit code.
 */
final class LocalPreflight implements AutoCloseable {
    static final int EXIT_DATA_DIR = 2;
    static final int EXIT_LOCKED = 3;
    static final int EXIT_PORT = 4;
    /** A command line that cannot be understood (sysexits EX_USAGE). */
    static final int EXIT_USAGE = 64;
    static final String LOCK_FILE = "thermocline.lock";

    /** A reason not to start. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Failure(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    private final FileChannel lockChannel;
    private final FileLock lock;

    private LocalPreflight(FileChannel lockChannel, FileLock lock) {
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Checks, and holds the data directory until closed.
     *
     * @param ports what each port is for, by port
     */
    static LocalPreflight check(Path dataDir, Map<Integer, String> ports) {
        Path dir = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(Files.createTempFile(dir, ".write-check", ""));
        } catch (IOException | RuntimeException e) {
            throw new Failure("cannot write the data directory " + dir + " (" + e + ")", EXIT_DATA_DIR);
        }
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new Failure("cannot write the data directory " + dir + " (" + e + ")", EXIT_DATA_DIR);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = holder(lockFile);
            closeQuietly(channel);
            throw new Failure("another Thermocline is running on the data directory " + dir + holder
                    + "; stop it, or use another --data-dir", EXIT_LOCKED);
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new Failure("cannot write the data directory " + dir + " (" + e + ")", EXIT_DATA_DIR);
        }
        LocalPreflight held = new LocalPreflight(channel, lock);
        ports.forEach((port, role) -> {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                held.close();
                throw new Failure("port " + port + " (" + role + ") is in use; free it, or choose other ports"
                        + " (--port BASE moves the cluster's, --gateway-port the gateway's)", EXIT_PORT);
            }
        });
        return held;
    }

    private static String holder(Path lockFile) {
        try {
            String pid = Files.readString(lockFile).trim();
            return pid.isEmpty() ? "" : " (process " + pid + ")";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close releases it too
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to keep
        }
    }
}
