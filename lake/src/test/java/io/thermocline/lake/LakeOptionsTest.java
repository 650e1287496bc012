package io.thermocline.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.config.ConfigDocs;
import io.thermocline.common.testutils.GeneratedDocs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.Map;

class LakeOptionsTest {
    @Test
    void documentationMatchesTheOptions() throws IOException {
        GeneratedDocs.assertUpToDate(Paths.get("../docs/lake-options.md"), "# Lake options\n\nCluster options of the"
                + " coordinator (and the tiering job) naming the Iceberg catalog. Generated from `LakeOptions` by"
                + " `LakeOptionsTest`; regenerate with `mvn -pl lake test -Dtest=LakeOptionsTest -Dregenerate`.\n\n"
                + ConfigDocs.markdown(LakeOptions.class));
    }

    @Test
    void catalogKeysPassToIcebergWithoutThePrefix() {
        assertThat(LakeOptions.catalogProperties(Map.of("lake.catalog.type", "rest", "lake.catalog.uri", "http://x",
                "lake.catalog-name", "n", "bootstrap.servers", "h:1")))
                .isEqualTo(Map.of("type", "rest", "uri", "http://x"));
        assertThat(LakeOptions.catalogProperties(Map.of("lake.catalog.warehouse", "/w")))
                .isEqualTo(Map.of("type", "hadoop", "warehouse", "/w"));
    }
}
