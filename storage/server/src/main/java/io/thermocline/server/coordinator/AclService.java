package io.thermocline.server.coordinator;

import io.thermocline.common.security.AclBinding;
import io.thermocline.rpc.messages.CreateAclsRequest;
import io.thermocline.rpc.messages.CreateAclsResponse;
import io.thermocline.rpc.messages.DeleteAclsRequest;
import io.thermocline.rpc.messages.DeleteAclsResponse;
import io.thermocline.rpc.messages.ListAclsRequest;
import io.thermocline.rpc.messages.ListAclsResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.security.AclEntries;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Access control entries in ZooKeeper: created (once each), deleted and listed; every server applies them as they change. */
final class AclService {
    private final ZooKeeperMetadataStore store;
    private final ActiveCoordinator active;

    AclService(ZooKeeperMetadataStore store, ActiveCoordinator active) {
        this.store = store;
        this.active = active;
    }

    void register(RpcService.Builder service) {
        service.register(ApiKeys.CREATE_ACLS, CreateAclsRequest.parser(), (ctx, r) -> active.serve(() -> create(r)))
                .register(ApiKeys.DELETE_ACLS, DeleteAclsRequest.parser(), (ctx, r) -> active.serve(() -> delete(r)))
                .register(ApiKeys.LIST_ACLS, ListAclsRequest.parser(), (ctx, r) -> active.serve(() ->
                        ListAclsResponse.newBuilder().addAllAcls(store.acls().stream().map(AclEntries::toProto)
                                .toList()).build()));
    }

    private CreateAclsResponse create(CreateAclsRequest request) {
        List<AclBinding> added = request.getAclsList().stream().map(AclEntries::fromProto).toList();
        store.updateAcls(current -> {
            Set<AclBinding> all = new LinkedHashSet<>(current);
            all.addAll(added);
            return new ArrayList<>(all);
        });
        return CreateAclsResponse.getDefaultInstance();
    }

    private DeleteAclsResponse delete(DeleteAclsRequest request) {
        Set<AclBinding> removed = new LinkedHashSet<>(request.getAclsList().stream().map(AclEntries::fromProto).toList());
        int[] deleted = {0};
        store.updateAcls(current -> {
            List<AclBinding> kept = current.stream().filter(acl -> !removed.contains(acl)).toList();
            deleted[0] = current.size() - kept.size();
            return kept;
        });
        return DeleteAclsResponse.newBuilder().setDeleted(deleted[0]).build();
    }
}
