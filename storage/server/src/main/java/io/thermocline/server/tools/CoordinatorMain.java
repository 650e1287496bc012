package io.thermocline.server.tools;

import io.thermocline.server.coordinator.CoordinatorServer;

import java.util.concurrent.CountDownLatch;

/**
 * A coordinator as its own process: {@code CoordinatorMain key=value ...} with the server options
 * ({@code zookeeper.address}, {@code bind.host}, {@code lake.catalog.*}, ...). Several may run: one
 * is active, the others stand by. Stops cleanly on SIGTERM.
 */
public final class CoordinatorMain {
    private CoordinatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        CoordinatorServer coordinator = new CoordinatorServer(ServerCommandLine.parse(args)).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            coordinator.close();
            stopped.countDown();
        }, "coordinator-shutdown"));
        System.out.println("Coordinator " + coordinator.id() + " serves on " + coordinator.host() + ":"
                + coordinator.port());
        stopped.await();
    }
}
