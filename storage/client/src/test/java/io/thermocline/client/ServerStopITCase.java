package io.thermocline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.server.testutils.TestCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/**
 * SIGTERM stops a tablet server within {@code shutdown.timeout} whatever else is gone: its
 * coordinator, then ZooKeeper too. Controlled shutdown is given far longer than that bound, so
 * only the bound can end it in time.
 */
class ServerStopITCase {
    private static final Duration BOUND = Duration.ofSeconds(5);

    @RegisterExtension
    static final TestCluster CLUSTER = TestCluster.builder().tabletServers(2).processes(true)
            .serverOption("shutdown.timeout", BOUND.toSeconds() + " s")
            .serverOption("controlled-shutdown.timeout", "5 min")
            .build();

    @Test
    void sigtermStopsATabletServerWithinItsBoundWithoutCoordinatorAndWithoutZooKeeper() {
        // The process's own start-up of the JVM's exit adds a little to the bound.
        Duration within = BOUND.plusSeconds(3);
        CLUSTER.coordinators().forEach(CLUSTER::stopCoordinator);
        assertThat(CLUSTER.terminateTabletServer(0, within)).as("stopped without a coordinator within " + within)
                .isTrue();

        CLUSTER.stopZooKeeper();
        assertThat(CLUSTER.terminateTabletServer(1, within)).as("stopped without ZooKeeper within " + within).isTrue();
    }
}
