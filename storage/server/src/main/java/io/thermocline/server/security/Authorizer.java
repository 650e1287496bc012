package io.thermocline.server.security;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.AuthorizationException;
import io.thermocline.common.security.AclBinding;
import io.thermocline.common.security.AclBinding.Operation;
import io.thermocline.common.security.AclBinding.Permission;
import io.thermocline.common.security.AclBinding.ResourceType;
import io.thermocline.rpc.security.Audit;
import io.thermocline.rpc.security.Principal;
import io.thermocline.rpc.server.RequestContext;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a principal may do an operation on a resource, from the ACLs in ZooKeeper (kept
 * in memory and updated as they change). With authorization off, everything is allowed.
 */
public final class Authorizer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Authorizer.class);

    private final boolean enabled;
    private final Set<Principal> superUsers;
    private final AutoCloseable watch;
    private volatile List<AclBinding> acls = List.of();

    private Authorizer(boolean enabled, Set<Principal> superUsers, ZooKeeperMetadataStore store) {
        this.enabled = enabled;
        this.superUsers = superUsers;
        this.watch = enabled ? store.watchAcls(updated -> {
            acls = List.copyOf(updated);
            LOG.debug("ACLs now: {}", updated);
        }) : () -> {};
        if (enabled) {
            acls = List.copyOf(store.acls()); // the watch fills in asynchronously; do not start empty
        }
    }

    public static Authorizer start(Configuration conf, ZooKeeperMetadataStore store) {
        Set<Principal> superUsers = Arrays.stream(conf.get(ServerOptions.SUPER_USERS).split(";"))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Principal::parse).collect(Collectors.toSet());
        return new Authorizer(conf.get(ServerOptions.AUTHORIZATION_ENABLED), superUsers, store);
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean isAllowed(Principal principal, Operation operation, ResourceType type, String name) {
        if (!enabled || superUsers.contains(principal)) {
            return true;
        }
        boolean allowed = false;
        for (AclBinding acl : acls) {
            if (!matchesPrincipal(acl, principal) || !covers(acl, type, name)) {
                continue;
            }
            if (acl.permission() == Permission.DENY) {
                // A matching DENY wins over every ALLOW; it denies what it names (DENY READ keeps DESCRIBE).
                if (acl.operation() == Operation.ALL || acl.operation() == operation) {
                    return false;
                }
            } else if (implies(acl.operation(), operation)) {
                allowed = true;
            }
        }
        return allowed;
    }

    /** Throws an {@link AuthorizationException} naming principal, operation and resource when not allowed; audited. */
    public void require(RequestContext context, Operation operation, ResourceType type, String name) {
        if (!isAllowed(context.principal(), operation, type, name)) {
            String resource = type.name().toLowerCase(Locale.ROOT) + (name.isEmpty() ? "" : " " + name);
            Audit.denied(context.principal(), context.remoteAddress(), operation.name(), resource,
                    context.api().displayName());
            throw new AuthorizationException("Principal " + context.principal() + " may not " + operation + " "
                    + resource + " (" + context.api().displayName() + ")");
        }
    }

    private static boolean matchesPrincipal(AclBinding acl, Principal principal) {
        Principal named = Principal.parse(acl.principal());
        return named.type().equals(principal.type()) && (named.name().equals("*") || named.equals(principal));
    }

    /** An entry on the resource itself, on every resource of its kind, on the table's database, or on the cluster. */
    private static boolean covers(AclBinding acl, ResourceType type, String name) {
        if (acl.resourceType() == ResourceType.CLUSTER) {
            return true;
        }
        if (acl.resourceType() == type) {
            return acl.resourceName().equals("*") || acl.resourceName().equals(name);
        }
        if (acl.resourceType() == ResourceType.DATABASE && type == ResourceType.TABLE) {
            String database = name.substring(0, Math.max(0, name.indexOf('.')));
            return acl.resourceName().equals("*") || acl.resourceName().equals(database);
        }
        return false;
    }

    private static boolean implies(Operation granted, Operation requested) {
        if (granted == Operation.ALL || granted == requested) {
            return true;
        }
        return requested == Operation.DESCRIBE && granted != Operation.CREATE;
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (Exception e) {
            LOG.warn("Could not stop watching the ACLs", e);
        }
    }
}
