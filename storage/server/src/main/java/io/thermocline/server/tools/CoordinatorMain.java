package io.thermocline.server.tools;

import io.thermocline.common.config.Configuration;
import io.thermocline.server.config.ServerOptions;
import io.thermocline.server.coordinator.CoordinatorServer;

import java.util.concurrent.CountDownLatch;

/**
 * A coordinator as its own process: {@code CoordinatorMain key=value ...} with the server options
 * ({@code zookeeper.address}, {@code bind.host}, {@code lake.catalog.*}, ...). Several may run: one
 * is active, the others stand by. Stops cleanly on SIGTERM, within {@code shutdown.timeout}.
 */
public final class CoordinatorMain {
    private CoordinatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        Configuration conf = ServerCommandLine.parse(args);
        CoordinatorServer coordinator = ServerCommandLine.startOrExit(() -> new CoordinatorServer(conf).start());
        CountDownLatch stopped = BoundedStop.install("coordinator-" + coordinator.id(), coordinator,
                conf.get(ServerOptions.SHUTDOWN_TIMEOUT));
        System.out.println("Coordinator " + coordinator.id() + " serves on " + coordinator.host() + ":"
                + coordinator.port());
        stopped.await();
    }
}
