package io.thermocline.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.InvalidConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Configuration files and command lines, against a small set of options. */
class ConfigFileTest {
    /** Options of a made-up part. */
    public static final class Options {
        public static final ConfigOption<Integer> PORT = ConfigOptions.key("bind.port").intType().defaultValue(0)
                .withDescription("Port.");
        public static final ConfigOption<Duration> TIMEOUT = ConfigOptions.key("shutdown.timeout").durationType()
                .defaultValue(Duration.ofSeconds(30)).withDescription("Timeout.");
        public static final ConfigOption<String> PASSWORD = ConfigOptions.key("security.sasl.password").stringType()
                .noDefaultValue().withDescription("Password.");
    }

    private static final KnownOptions KNOWN = KnownOptions.of(List.of(new OptionsProvider() {
        @Override
        public String title() {
            return "Test";
        }

        @Override
        public List<Class<?>> optionClasses() {
            return List.of(Options.class);
        }

        @Override
        public List<String> openPrefixes() {
            return List.of("lake.catalog.");
        }
    }));

    private static final Map<String, String> ENV = Map.of("SASL_PASSWORD", "s3cret:$1", "PORT", "9123");

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path file = dir.resolve("thermocline.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void flatAndNestedKeysWithValuesFromTheEnvironment() throws IOException {
        Path file = file("""
                # a comment
                bind.port: ${PORT}
                shutdown:
                  timeout: 10 s
                security.sasl.password: "${SASL_PASSWORD}"
                lake.catalog.s3.endpoint: http://${S3_HOST:-127.0.0.1}:9000
                """);
        assertThat(ConfigFile.read(file, ENV::get, KNOWN)).containsExactly(Map.entry("bind.port", "9123"),
                Map.entry("shutdown.timeout", "10 s"), Map.entry("security.sasl.password", "s3cret:$1"),
                Map.entry("lake.catalog.s3.endpoint", "http://127.0.0.1:9000"));
        Configuration conf = new Configuration(ConfigFile.read(file, ENV::get, KNOWN));
        assertThat(conf.get(Options.PORT)).isEqualTo(9123);
        assertThat(conf.get(Options.TIMEOUT)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anUnknownKeyIsRefusedNamingItAndTheFile() throws IOException {
        Path file = file("bind.port: 1\nlog.segmnt.size: 1 gb\n");
        assertThatThrownBy(() -> ConfigFile.read(file, ENV::get, KNOWN)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Unknown option 'log.segmnt.size' in " + file);
        Path nested = file("bind:\n  prot: 1\n");
        assertThatThrownBy(() -> ConfigFile.read(nested, ENV::get, KNOWN)).hasMessageContaining("'bind.prot'");
    }

    @Test
    void anUnsetVariableIsAnErrorNamingTheVariableAndTheKey() throws IOException {
        Path file = file("security.sasl.password: ${NOT_SET}\n");
        assertThatThrownBy(() -> ConfigFile.read(file, ENV::get, KNOWN)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'security.sasl.password' in " + file)
                .hasMessageContaining("${NOT_SET}").hasMessageContaining("not set");
    }

    @Test
    void malformedFilesAreErrorsNamingTheFile() throws IOException {
        Path list = file("bind.port: [1, 2]\n");
        assertThatThrownBy(() -> ConfigFile.read(list, ENV::get, KNOWN)).hasMessageContaining("'bind.port'")
                .hasMessageContaining("a list");
        Path scalar = file("just a string\n");
        assertThatThrownBy(() -> ConfigFile.read(scalar, ENV::get, KNOWN)).hasMessageContaining(scalar.toString())
                .hasMessageContaining("must map option keys");
        Path broken = file("bind.port: 1\n  - oops: [\n");
        assertThatThrownBy(() -> ConfigFile.read(broken, ENV::get, KNOWN)).hasMessageContaining("not valid YAML");
        Path twice = file("bind.port: 1\nbind:\n  port: 2\n");
        assertThatThrownBy(() -> ConfigFile.read(twice, ENV::get, KNOWN)).hasMessageContaining("given twice");
        assertThatThrownBy(() -> ConfigFile.read(dir.resolve("missing.yaml"), ENV::get, KNOWN))
                .hasMessageContaining("Cannot read the configuration file");
    }

    @Test
    void commandLineOverridesWinOverTheFileAndUnknownOnesAreRefused() throws IOException {
        Path file = file("bind.port: 1\nshutdown.timeout: 10 s\n");
        CommandLine line = CommandLine.parse(new String[] {"--config", file.toString(), "bind.port=2",
                "--conf", "shutdown.timeout=20 s", "--data-dir", "/d", "--processes"}, Set.of("--data-dir"),
                Set.of("--processes"), ENV::get, KNOWN);
        assertThat(line.options()).containsExactly(Map.entry("bind.port", "2"), Map.entry("shutdown.timeout", "20 s"));
        assertThat(line.flags()).containsExactly(Map.entry("--data-dir", "/d"), Map.entry("--processes", ""));
        // The file is read after the overrides are taken, wherever --config stands: they still win.
        assertThat(CommandLine.parse(new String[] {"bind.port=3", "--config", file.toString()}, Set.of(), Set.of(),
                ENV::get, KNOWN).options()).containsEntry("bind.port", "3");

        assertThatThrownBy(() -> CommandLine.parse(new String[] {"bind.prot=2"}, Set.of(), Set.of(), ENV::get, KNOWN))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Unknown option 'bind.prot' on the command line");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--config"}, Set.of(), Set.of(), ENV::get, KNOWN))
                .hasMessageContaining("--config needs a value");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--bogus"}, Set.of(), Set.of(), ENV::get, KNOWN))
                .hasMessageContaining("Unknown argument --bogus");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"port"}, Set.of(), Set.of(), ENV::get, KNOWN))
                .hasMessageContaining("Expected key=value, got 'port'");
    }

    @Test
    void theTemplateListsEveryOptionCommentedOutAndReadsAsEmpty() throws IOException {
        String yaml = ConfigDocs.yamlTemplate(KNOWN, "# header\n");
        assertThat(yaml).contains("# ==== Test ====", "# Port.\n# bind.port: 0\n", "# shutdown.timeout: 30000 ms",
                "# security.sasl.password:    # no default", "under lake.catalog. passes through unchecked");
        assertThat(ConfigFile.read(file(yaml), ENV::get, KNOWN)).isEmpty();
        // Each line, uncommented, is a valid setting.
        String uncommented = yaml.replace("# bind.port", "bind.port").replace("# shutdown.timeout", "shutdown.timeout");
        Configuration conf = new Configuration(ConfigFile.read(file(uncommented), ENV::get, KNOWN));
        assertThat(conf.get(Options.TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
    }
}
