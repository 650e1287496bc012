package io.thermocline.client.api;

import io.thermocline.common.config.ConfigOption;
import io.thermocline.common.config.ConfigOptions;

import java.time.Duration;

/** Options of the Java client. RPC options (timeouts, frame size) apply as well. */
public final class ClientOptions {
    private ClientOptions() {}

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("bootstrap.servers")
            .stringType()
            .noDefaultValue()
            .withDescription("Comma-separated host:port of coordinators to start from; the client finds the"
                    + " active one among them.");

    public static final ConfigOption<Duration> ADMIN_TIMEOUT = ConfigOptions.key("client.admin.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("How long an admin operation keeps retrying retriable errors (coordinator"
                    + " failover, lost connections) before it fails.")
            .checkedBy(d -> !d.isNegative() && !d.isZero(), "positive");

    public static final ConfigOption<Duration> RETRY_BACKOFF = ConfigOptions.key("client.retry.backoff")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("Pause before retrying after a retriable error.")
            .checkedBy(d -> !d.isNegative(), "0 or positive");
}
