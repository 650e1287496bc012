package io.thermocline.gateway;

import io.thermocline.common.config.ConfigDocs;
import io.thermocline.common.testutils.GeneratedDocs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Paths;

class GatewayOptionsTest {
    @Test
    void documentationMatchesTheOptions() throws IOException {
        GeneratedDocs.assertUpToDate(Paths.get("../docs/gateway-options.md"), "# JDBC gateway options\n\nGiven to the"
                + " gateway with the client options of its cluster (bootstrap.servers) and Flink options prefixed"
                + " `flink.`. Generated from `GatewayOptions` by `GatewayOptionsTest`; regenerate with"
                + " `mvn -pl sql-gateway test -Dtest=GatewayOptionsTest -Dregenerate`.\n\n"
                + ConfigDocs.markdown(GatewayOptions.class));
    }
}
