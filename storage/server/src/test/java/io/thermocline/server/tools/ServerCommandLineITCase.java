package io.thermocline.server.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server process given a configuration it cannot use exits with code 2 and one line saying why. */
class ServerCommandLineITCase {
    @TempDir
    Path dir;

    private Result run(Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String output) {}

    @Test
    void anUnknownKeyInTheFileOrOnTheCommandLineIsRefusedNamingIt() throws Exception {
        Path file = dir.resolve("coordinator.yaml");
        Files.writeString(file, "zookeeper.address: 127.0.0.1:1\nlog.segmnt.size: 1 gb\n");
        Result fromFile = run(CoordinatorMain.class, "--config", file.toString());
        assertThat(fromFile.exit()).isEqualTo(2);
        assertThat(fromFile.output()).contains("Unknown option 'log.segmnt.size' in " + file);

        Result fromArgs = run(TabletServerMain.class, "tablet-server.idd=1");
        assertThat(fromArgs.exit()).isEqualTo(2);
        assertThat(fromArgs.output()).contains("Unknown option 'tablet-server.idd' on the command line");
    }

    @Test
    void aVariableTheEnvironmentLacksIsRefusedNamingItAndTheKey() throws Exception {
        Path file = dir.resolve("tablet-server.yaml");
        Files.writeString(file, "security.sasl.password: ${THERMOCLINE_TEST_UNSET_SECRET}\n");
        Result result = run(TabletServerMain.class, "--config", file.toString());
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("'security.sasl.password' in " + file)
                .contains("${THERMOCLINE_TEST_UNSET_SECRET}");
    }
}
