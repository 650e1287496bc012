package io.thermocline.server.coordinator;

import io.thermocline.common.exception.InvalidRequestException;
import io.thermocline.rpc.messages.AlterUserRequest;
import io.thermocline.rpc.messages.AlterUserResponse;
import io.thermocline.rpc.messages.DropUserRequest;
import io.thermocline.rpc.messages.DropUserResponse;
import io.thermocline.rpc.messages.ListUsersRequest;
import io.thermocline.rpc.messages.ListUsersResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.security.ScramCredential;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

/** Users of SASL listeners: their SCRAM credentials in ZooKeeper, created, replaced, dropped and listed. */
final class UserService {
    private final ZooKeeperMetadataStore store;
    private final ActiveCoordinator active;

    UserService(ZooKeeperMetadataStore store, ActiveCoordinator active) {
        this.store = store;
        this.active = active;
    }

    void register(RpcService.Builder service) {
        service.register(ApiKeys.ALTER_USER, AlterUserRequest.parser(), (ctx, r) -> active.serve(() -> alter(r)))
                .register(ApiKeys.DROP_USER, DropUserRequest.parser(), (ctx, r) -> active.serve(() ->
                        DropUserResponse.newBuilder().setExisted(store.deleteUser(requireName(r.getUser()))).build()))
                .register(ApiKeys.LIST_USERS, ListUsersRequest.parser(), (ctx, r) -> active.serve(() ->
                        ListUsersResponse.newBuilder().addAllUsers(store.users()).build()));
    }

    private AlterUserResponse alter(AlterUserRequest request) {
        String user = requireName(request.getUser());
        ScramCredential credential;
        try {
            credential = ScramCredential.decode(request.getScramCredential());
        } catch (RuntimeException e) {
            throw new InvalidRequestException("User " + user + ": not a SCRAM credential (" + e.getMessage() + ")");
        }
        if (credential.iterations() < ScramCredential.MIN_ITERATIONS || credential.salt().length < 8
                || credential.storedKey().length != 32 || credential.serverKey().length != 32) {
            throw new InvalidRequestException("User " + user + ": a SCRAM-SHA-256 credential needs at least "
                    + ScramCredential.MIN_ITERATIONS + " iterations, a salt of 8 bytes or more and 32-byte keys");
        }
        store.setUserCredential(user, credential.encode());
        return AlterUserResponse.getDefaultInstance();
    }

    private static String requireName(String user) {
        if (user.isBlank() || user.length() > 256 || user.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("A user name is 1 to 256 characters without control characters; got '"
                    + user + "'");
        }
        return user;
    }
}
