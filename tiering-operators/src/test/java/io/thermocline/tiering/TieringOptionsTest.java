package io.thermocline.tiering;

import io.thermocline.common.config.ConfigDocs;
import io.thermocline.common.testutils.GeneratedDocs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Paths;

class TieringOptionsTest {
    @Test
    void documentationMatchesTheOptions() throws IOException {
        GeneratedDocs.assertUpToDate(Paths.get("../docs/tiering-options.md"), "# Tiering job options\n\nGiven to the"
                + " tiering job with the client options (bootstrap.servers) and the lake options. Generated from"
                + " `TieringOptions` by `TieringOptionsTest`; regenerate with"
                + " `mvn -pl tiering-operators test -Dtest=TieringOptionsTest -Dregenerate`.\n\n"
                + ConfigDocs.markdown(TieringOptions.class));
    }
}
