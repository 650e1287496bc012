package io.thermocline.common.security;

import java.util.Objects;

/**
 * One access control entry: {@code principal} ({@code User:NAME}, or {@code User:*} for every
 * user) is allowed or denied {@code operation} on a resource. A resource is the cluster (name
 * empty), a database ({@code db}) or a table ({@code db.table}); the name {@code *} means every
 * database or table. A database's entries apply to its tables, the cluster's to everything; a
 * matching DENY wins over any ALLOW.
 */
public record AclBinding(String principal, ResourceType resourceType, String resourceName, Operation operation,
        Permission permission) {
    /** What an entry guards. */
    public enum ResourceType { CLUSTER, DATABASE, TABLE }

    /**
     * What an entry allows or denies; ALL is every operation. Allowing READ, WRITE, ALTER or DROP
     * allows DESCRIBE too; a DENY denies only what it names (or everything, for ALL).
     */
    public enum Operation { ALL, READ, WRITE, CREATE, DROP, ALTER, DESCRIBE }

    public enum Permission { ALLOW, DENY }

    public AclBinding {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(permission, "permission");
        resourceName = resourceType == ResourceType.CLUSTER ? "" : Objects.requireNonNull(resourceName, "resourceName");
        int colon = principal.indexOf(':');
        if (colon <= 0 || colon == principal.length() - 1) {
            throw new IllegalArgumentException("A principal is TYPE:NAME, e.g. User:alice or User:*; got '" + principal
                    + "'");
        }
        if (resourceType == ResourceType.TABLE && !resourceName.equals("*") && resourceName.indexOf('.') <= 0) {
            throw new IllegalArgumentException("A table is named database.table (or *); got '" + resourceName + "'");
        }
    }

    public static AclBinding allow(String principal, ResourceType type, String name, Operation operation) {
        return new AclBinding(principal, type, name, operation, Permission.ALLOW);
    }

    public static AclBinding deny(String principal, ResourceType type, String name, Operation operation) {
        return new AclBinding(principal, type, name, operation, Permission.DENY);
    }

    @Override
    public String toString() {
        return permission + " " + principal + " " + operation + " on " + resourceType.name().toLowerCase()
                + (resourceName.isEmpty() ? "" : " " + resourceName);
    }
}
