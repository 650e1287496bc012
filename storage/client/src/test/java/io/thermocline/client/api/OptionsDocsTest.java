package io.thermocline.client.api;

import io.thermocline.common.config.ConfigDocs;
import io.thermocline.common.testutils.GeneratedDocs;
import io.thermocline.rpc.protocol.RpcOptions;

import org.junit.jupiter.api.Test;

import java.io.IOException;
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
        GeneratedDocs.assertUpToDate(DOC, expected);
    }
}
