package io.thermocline.rpc.server;

import io.thermocline.rpc.messages.ApiVersionsRequest;
import io.thermocline.rpc.messages.ApiVersionsResponse;
import io.thermocline.rpc.protocol.ApiKeys;

import java.util.concurrent.CompletableFuture;

/** Answers which APIs and versions this build speaks; every server registers it. */
public final class ApiVersionsHandler implements RequestHandler<ApiVersionsRequest, ApiVersionsResponse> {
    private final String softwareVersion;

    public ApiVersionsHandler(String softwareVersion) {
        this.softwareVersion = softwareVersion;
    }

    @Override
    public CompletableFuture<ApiVersionsResponse> handle(RequestContext context, ApiVersionsRequest request) {
        return CompletableFuture.completedFuture(ApiVersionsResponse.newBuilder()
                .addAllApiVersions(ApiKeys.supportedVersions())
                .setServerSoftwareVersion(softwareVersion)
                .build());
    }
}
