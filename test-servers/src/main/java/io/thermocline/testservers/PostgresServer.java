package io.thermocline.testservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server on 127.0.0.1 from the machine's PostgreSQL binaries (Debian's
 * {@code postgresql} package, which {@code .ci/run} installs), with password authentication.
 * PostgreSQL refuses to run as root, so under root it runs as the package's {@code postgres} user.
 */
public final class PostgresServer extends ServerProcess {
    public static final String USER = "thermocline";
    public static final String PASSWORD = "thermocline-test";

    private final Path bin;
    private final Path data;

    private PostgresServer(Path dir) {
        super(dir);
        this.bin = binaries();
        try {
            // Its own directory: the postgres user cannot enter a test's private temporary directory.
            this.data = Files.createTempDirectory("thermocline-postgres",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Initializes a database cluster and starts it. */
    public static PostgresServer start(Path dir) {
        PostgresServer server = new PostgresServer(dir);
        server.initialize();
        server.start();
        return server;
    }

    /** The JDBC URL of the server's {@code postgres} database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private void initialize() {
        try {
            Path passwordFile = data.resolve("password");
            Files.writeString(passwordFile, PASSWORD + "\n", StandardCharsets.UTF_8);
            List<String> command = asServerUser(List.of(bin.resolve("initdb").toString(), "-D",
                    data.resolve("db").toString(), "-U", USER, "--pwfile=" + passwordFile, "--auth=scram-sha-256",
                    "--encoding=UTF8", "--no-sync"));
            runAsServerUserPrepared();
            Process initdb = new ProcessBuilder(command).directory(data.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("initdb.log").toFile())).start();
            if (!initdb.waitFor(120, TimeUnit.SECONDS) || initdb.exitValue() != 0) {
                throw new IllegalStateException("initdb failed; see " + dir.resolve("initdb.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected List<String> command() {
        return asServerUser(List.of(bin.resolve("postgres").toString(), "-D", data.resolve("db").toString(),
                "-p", Integer.toString(port), "-k", data.toString(), "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off"));
    }

    @Override
    protected String name() {
        return "postgres";
    }

    @Override
    public void close() {
        super.close();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary directory: left for the system to clean
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private List<String> asServerUser(List<String> command) {
        if (!root()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Under root, hands the data directory to the postgres user. */
    private void runAsServerUserPrepared() throws IOException, InterruptedException {
        if (root()) {
            Process chown = new ProcessBuilder("chown", "-R", "postgres", data.toString()).inheritIO().start();
            if (chown.waitFor() != 0) {
                throw new IllegalStateException("Cannot give " + data + " to the postgres user");
            }
        }
    }

    private static Path binaries() {
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                var found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString()
                                .replaceAll("\\D", "0"))));
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("PostgreSQL is not installed: apt-get install postgresql (.ci/run installs it)");
    }
}
