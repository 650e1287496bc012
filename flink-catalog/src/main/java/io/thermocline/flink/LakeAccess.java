package io.thermocline.flink;

import io.thermocline.client.api.Admin;
import io.thermocline.common.exception.ApiException;
import io.thermocline.common.metadata.TablePath;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The options a read of one table's lake rows uses: the lake catalog the cluster hands out for
 * that table, under the reader's own {@code lake.*} options. Asking is what checks the reader may
 * READ the table, so every union read and lake view asks, even with lake options of its own.
 */
public final class LakeAccess {
    private LakeAccess() {}

    /**
     * @throws io.thermocline.common.exception.AuthorizationException if the reader may not READ {@code table}
     */
    public static Map<String, String> optionsFor(Admin admin, TablePath table, Map<String, String> clientOptions) {
        Map<String, String> options;
        try {
            options = new HashMap<>(admin.getLakeCatalogOptions(table).join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw e;
        }
        options.putAll(clientOptions);
        return options;
    }
}
