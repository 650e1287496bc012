package io.thermocline.playground.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The command line of {@code thermocline local}. */
class LocalOptionsTest {
    @Test
    void aCommandLineThatCannotBeUnderstoodIsAUsageError() {
        assertThat(LocalOptions.parse("--port", "9000", "--tablet-servers", "1").ports())
                .containsEntry(9000, "ZooKeeper").containsEntry(9011, "tablet server 0").containsEntry(8765, "JDBC gateway")
                .containsEntry(9030, "coordinator metrics").hasSize(7);
        assertThatThrownBy(() -> LocalOptions.parse("--port", "ninety"))
                .isInstanceOf(LocalOptions.UsageError.class)
                .hasMessageStartingWith("--port takes a number from 1 to 65475, got 'ninety'");
        assertThatThrownBy(() -> LocalOptions.parse("--tablet-servers"))
                .isInstanceOf(LocalOptions.UsageError.class).hasMessageStartingWith("--tablet-servers needs a value");
        assertThatThrownBy(() -> LocalOptions.parse("--bogus", "1"))
                .isInstanceOf(LocalOptions.UsageError.class).hasMessageStartingWith("Unknown argument --bogus");
        assertThatThrownBy(() -> LocalOptions.parse("--port", "9000", "--gateway-port", "9010"))
                .isInstanceOf(LocalOptions.UsageError.class)
                .hasMessageStartingWith("--gateway-port 9010 is one of the cluster's ports");
    }
}
