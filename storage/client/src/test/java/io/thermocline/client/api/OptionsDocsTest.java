package io.thermocline.client.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.config.ConfigDocs;
import io.thermocline.rpc.protocol.RpcOptions;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The client and RPC option references in docs/ are generated from the options and must not drift. */
class OptionsDocsTest {
    private static final Path DOC = Paths.get("../../docs/client-options.md");

    @Test
    void documentationMatchesTheOptions() throws IOException {
        String expected = "# Client options\n\nGenerated from `ClientOptions` and `RpcOptions` by `OptionsDocsTest`;"
                + " regenerate with `mvn -pl storage/client test -Dtest=OptionsDocsTest -Dregenerate`.\n\n"
                + "## Client\n\n" + ConfigDocs.markdown(ClientOptions.class)
                + "\n## RPC (clients and servers)\n\n" + ConfigDocs.markdown(RpcOptions.class);
        if (System.getProperty("regenerate") != null) {
            Files.writeString(DOC, expected);
        }
        assertThat(Files.readString(DOC)).isEqualTo(expected);
    }
}
