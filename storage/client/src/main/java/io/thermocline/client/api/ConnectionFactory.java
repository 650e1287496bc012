package io.thermocline.client.api;

import io.thermocline.client.internal.ConnectionImpl;
import io.thermocline.common.config.Configuration;

/** Creates {@link Connection}s. */
public final class ConnectionFactory {
    private ConnectionFactory() {}

    /** A connection to the cluster named by {@link ClientOptions#BOOTSTRAP_SERVERS}. */
    public static Connection create(Configuration conf) {
        return new ConnectionImpl(conf);
    }
}
