package io.thermocline.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.AuthorizationException;
import io.thermocline.rpc.security.Principal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/** Writer ids carry a tag that binds them to the principal that obtained them. */
class WriterIdsTest {
    private static final Principal BOB = Principal.user("bob");
    private static final Principal ALICE = Principal.user("alice");

    @Test
    void anIdChecksForItsPrincipalOnlyAndOnEveryServerWithTheSecret() {
        WriterIds coordinator = new WriterIds("secret of the cluster".getBytes(StandardCharsets.UTF_8));
        WriterIds tabletServer = new WriterIds("secret of the cluster".getBytes(StandardCharsets.UTF_8));
        long bobs = coordinator.issue(41, BOB);
        assertThat(bobs).isPositive();
        assertThat(bobs >>> 32).isEqualTo(41);
        tabletServer.check(bobs, BOB, "table 1 bucket 0");
        assertThatThrownBy(() -> tabletServer.check(bobs, ALICE, "table 1 bucket 0"))
                .isInstanceOf(AuthorizationException.class).hasMessageContaining("table 1 bucket 0")
                .hasMessageContaining("writer id " + bobs).hasMessageContaining("User:alice");
        // another sequence with bob's tag, a made-up id, another cluster's id: all refused
        assertThatThrownBy(() -> tabletServer.check(bobs + (1L << 32), BOB, "t")).isInstanceOf(AuthorizationException.class);
        assertThatThrownBy(() -> tabletServer.check(7, BOB, "t")).isInstanceOf(AuthorizationException.class);
        long elsewhere = new WriterIds("another cluster".getBytes(StandardCharsets.UTF_8)).issue(41, BOB);
        assertThatThrownBy(() -> tabletServer.check(elsewhere, BOB, "t")).isInstanceOf(AuthorizationException.class);
        assertThat(coordinator.issue(41, BOB)).isEqualTo(bobs);
        assertThat(coordinator.issue(41, ALICE)).isNotEqualTo(bobs);
    }
}
