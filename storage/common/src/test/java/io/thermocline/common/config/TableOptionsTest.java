package io.thermocline.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.testutils.GeneratedDocs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/** Table options are checked at CREATE TABLE, and their reference in docs/ is generated from them. */
class TableOptionsTest {
    private static final Path DOC = Paths.get("../../docs/table-options.md");

    @Test
    void documentationMatchesTheOptions() throws IOException {
        String expected = "# Table options\n\nGiven at CREATE TABLE. Generated from `TableOptions` by `TableOptionsTest`;"
                + " regenerate with `mvn -pl storage/common test -Dtest=TableOptionsTest -Dregenerate`.\n\n"
                + ConfigDocs.markdown(TableOptions.class);
        GeneratedDocs.assertUpToDate(DOC, expected);
    }

    @Test
    void reservedKeysMustBeKnownAndValidWhileOtherKeysAreFree() {
        Configuration conf = TableOptions.validate("db.t", Map.of("table.auto-partition.time-unit", "hour", "owner", "x"));
        assertThat(conf.get(TableOptions.AUTO_PARTITION_TIME_UNIT)).isEqualTo(AutoPartitionTimeUnit.HOUR);
        assertThatThrownBy(() -> TableOptions.validate("db.t", Map.of("table.auto-partition.num-precreate", "-1")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("db.t")
                .hasMessageContaining("table.auto-partition.num-precreate");
        assertThatThrownBy(() -> TableOptions.validate("db.t", Map.of("table.auto-partition.time-zone", "Mars/Olympus")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("Mars/Olympus");
        assertThatThrownBy(() -> TableOptions.validate("db.t", Map.of("table.retention", "1 d")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("unknown table option 'table.retention'");
    }
}
