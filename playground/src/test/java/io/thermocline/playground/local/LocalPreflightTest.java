package io.thermocline.playground.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The checks of {@code thermocline local} before it starts: each failure one line and an exit code, no data touched. */
class LocalPreflightTest {
    @TempDir
    Path dir;

    @Test
    void aSecondInstanceOnTheSameDataDirectoryIsRefusedUntilTheFirstStops() {
        Path data = dir.resolve("data");
        try (LocalPreflight first = LocalPreflight.check(data, Map.of())) {
            assertThatThrownBy(() -> LocalPreflight.check(data, Map.of()))
                    .isInstanceOfSatisfying(LocalPreflight.Failure.class,
                            f -> assertThat(f.exitCode).isEqualTo(LocalPreflight.EXIT_LOCKED))
                    .hasMessageContaining("another Thermocline is running on the data directory " + data)
                    .hasMessageContaining("process " + ProcessHandle.current().pid());
        }
        LocalPreflight.check(data, Map.of()).close(); // a restart after a clean stop
    }

    @Test
    void aPortInUseIsNamedWithWhatItIsFor() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            LocalOptions options = LocalOptions.parse("--gateway-port", Integer.toString(port));
            assertThatThrownBy(() -> LocalPreflight.check(dir.resolve("data"), options.ports()))
                    .isInstanceOfSatisfying(LocalPreflight.Failure.class,
                            f -> assertThat(f.exitCode).isEqualTo(LocalPreflight.EXIT_PORT))
                    .hasMessage("port " + port + " (JDBC gateway) is in use; free it, or choose other ports"
                            + " (--port BASE moves the cluster's, --gateway-port the gateway's)");
        }
        LocalPreflight.check(dir.resolve("data"), Map.of()).close(); // the failed check let the directory go
    }

    @Test
    void anUnwritableDataDirectoryIsRefusedBeforeAnythingStarts() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> LocalPreflight.check(file.resolve("data"), Map.of()))
                .isInstanceOfSatisfying(LocalPreflight.Failure.class,
                        f -> assertThat(f.exitCode).isEqualTo(LocalPreflight.EXIT_DATA_DIR))
                .hasMessageContaining("cannot write the data directory " + file.resolve("data"));
        assertThat(Files.readString(file)).isEqualTo("x");
    }
}
