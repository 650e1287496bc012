package io.thermocline.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.config.ConfigDocs;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.testutils.GeneratedDocs;
import io.thermocline.server.log.LogConfig;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The option reference in docs/ is generated from {@link ServerOptions} and must not drift. */
class ServerOptionsDocsTest {
    private static final Path DOC = Paths.get("../../docs/server-options.md");

    @Test
    void documentationMatchesTheOptions() throws IOException {
        String expected = "# Server options (coordinators and tablet servers)\n\nGenerated from `ServerOptions` by `ServerOptionsDocsTest`;"
                + " regenerate with `mvn -pl storage/server test -Dtest=ServerOptionsDocsTest -Dregenerate`.\n\n"
                + ConfigDocs.markdown(ServerOptions.class);
        GeneratedDocs.assertUpToDate(DOC, expected);
    }

    @Test
    void defaultsAreValid() {
        LogConfig config = LogConfig.from(new Configuration());
        assertThat(config.segmentBytes()).isEqualTo(1 << 30);
        assertThat(config.hasRetentionBytes()).isFalse();
        assertThat(config.flushIntervalMs()).isZero();
    }
}
