package io.thermocline.server.coordinator;

import io.thermocline.lake.LakeCatalog;
import io.thermocline.rpc.messages.GetLakeCatalogRequest;
import io.thermocline.rpc.messages.GetLakeCatalogResponse;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.server.RpcService;

import java.util.Map;

/**
 * Tells clients the lake catalog the cluster tiers into, so that union reads and {@code t$lake}
 * need no lake options of their own. The request names the table to be read; the authorizer has
 * checked READ on it. An operator may withhold the options (they carry the lake's credentials),
 * and clients then bring their own.
 */
final class LakeCatalogService {
    private final ActiveCoordinator active;
    private final LakeCatalog lake;
    private final boolean share;

    LakeCatalogService(ActiveCoordinator active, LakeCatalog lake, boolean share) {
        this.active = active;
        this.lake = lake;
        this.share = share;
    }

    void register(RpcService.Builder service) {
        service.register(ApiKeys.GET_LAKE_CATALOG, GetLakeCatalogRequest.parser(), (ctx, r) -> active.serve(() ->
                GetLakeCatalogResponse.newBuilder().putAllOptions(share && lake.isConfigured() ? lake.options() : Map.of())
                        .build()));
    }
}
