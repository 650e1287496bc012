package io.thermocline.rpc.security;

import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.common.security.AclBinding;
import io.thermocline.rpc.messages.AclEntry;

/** Access control entries on the wire. */
public final class AclEntries {
    private AclEntries() {}

    public static AclEntry toProto(AclBinding acl) {
        return AclEntry.newBuilder().setPrincipal(acl.principal()).setResourceType(acl.resourceType().name())
                .setResourceName(acl.resourceName()).setOperation(acl.operation().name())
                .setPermission(acl.permission().name()).build();
    }

    /** The entry, or an {@link InvalidRequestException} naming what is wrong with it. */
    public static AclBinding fromProto(AclEntry entry) {
        try {
            return new AclBinding(entry.getPrincipal(), AclBinding.ResourceType.valueOf(entry.getResourceType()),
                    entry.getResourceName(), AclBinding.Operation.valueOf(entry.getOperation()),
                    AclBinding.Permission.valueOf(entry.getPermission()));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Invalid ACL (" + entry.getPermission() + " " + entry.getPrincipal() + " "
                    + entry.getOperation() + " on " + entry.getResourceType() + " " + entry.getResourceName() + "): "
                    + e.getMessage());
        }
    }
}
