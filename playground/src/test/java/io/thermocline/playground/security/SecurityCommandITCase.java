package io.thermocline.playground.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.common.security.AclBinding;
import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code thermocline acls} and {@code users list} against a SASL cluster with authorization on. */
class SecurityCommandITCase {
    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(1)
            .sasl("admin", "admin-secret").authorization().user("bob", "bob-secret")
            .build();

    @Test
    void aclsAreAddedListedAndRemovedFromTheCommandLine() throws Exception {
        try (Connection connection = ConnectionFactory.create(CLUSTER.saslClientConf("admin", "admin-secret"))) {
            assertThat(run(connection, "acls", "add", "allow", "User:bob", "read", "table", "shop.orders"))
                    .isEqualTo("Added: ALLOW User:bob READ on table shop.orders\n");
            assertThat(run(connection, "acls", "add", "deny", "User:*", "ALL", "cluster"))
                    .isEqualTo("Added: DENY User:* ALL on cluster\n");
            assertThat(run(connection, "acls", "list")).contains("ALLOW User:bob READ on table shop.orders",
                    "DENY User:* ALL on cluster");
            assertThat(run(connection, "acls", "remove", "deny", "User:*", "ALL", "cluster"))
                    .isEqualTo("Removed: DENY User:* ALL on cluster\n");
            assertThat(connection.admin().listAcls().get()).containsExactly(AclBinding.allow("User:bob",
                    AclBinding.ResourceType.TABLE, "shop.orders", AclBinding.Operation.READ));
            assertThat(run(connection, "users", "list")).isEqualTo("admin\nbob\n");
        }
        assertThatThrownBy(() -> SecurityCommand.acl(List.of("allow", "User:bob", "peek", "table", "shop.orders")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PEEK");
        assertThatThrownBy(() -> SecurityCommand.acl(List.of("allow", "bob", "READ", "table", "shop.orders")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TYPE:NAME");
        assertThatThrownBy(() -> SecurityCommand.acl(List.of("allow", "User:bob", "READ", "table", "orders")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database.table");
    }

    private static String run(Connection connection, String... words) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SecurityCommand.run(List.of(words), connection.admin(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
