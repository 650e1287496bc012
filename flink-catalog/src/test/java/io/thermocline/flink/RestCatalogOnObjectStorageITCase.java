package io.thermocline.flink;

import io.thermocline.testservers.RestCatalogServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/** The lake behind Iceberg's REST catalog server, with OAuth2 client credentials. */
class RestCatalogOnObjectStorageITCase extends LakeOnObjectStorageITCase {
    static RestCatalogServer rest;

    @BeforeAll
    static void startCatalog() {
        rest = RestCatalogServer.start(dir.resolve("rest"), s3, WAREHOUSE);
        startCluster(Map.of("type", "rest", "uri", rest.uri(), "credential", "tiering:not-a-secret",
                "oauth2-server-uri", rest.uri() + "/v1/oauth/tokens"));
    }

    @AfterAll
    static void stopCatalog() {
        if (cluster != null) {
            cluster.stop();
            cluster = null;
        }
        if (rest != null) {
            rest.stop();
        }
    }
}
