package io.thermocline.playground.demo;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.UpsertWriter;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.row.GenericRow;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * {@code thermocline demo}: writes a shop's workload ({@link DemoWorkload}) into a running
 * streamhouse at a chosen rate, with a progress line each second: rows written, rate, hot and lake
 * offsets, and how far tiering lags. Runs until Ctrl-C, or until {@code --orders N} are written.
 */
public final class DemoCommand {
    static final String USAGE = "Usage: thermocline demo [--bootstrap-servers HOST:PORT] [--database DB]"
            + " [--rate ORDERS_PER_SECOND] [--orders N] [--seed S]";

    private DemoCommand() {}

    record Options(String bootstrapServers, String database, int rate, long orders, long seed) {
        static Options parse(String... args) {
            String bootstrap = "127.0.0.1:9190";
            String database = "demo";
            int rate = 200;
            long orders = Long.MAX_VALUE;
            long seed = 42;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + args[i]);
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--bootstrap-servers" -> bootstrap = value;
                    case "--database" -> database = value;
                    case "--rate" -> rate = (int) positive(args[i], value, 1_000_000);
                    case "--orders" -> orders = positive(args[i], value, Long.MAX_VALUE);
                    case "--seed" -> seed = number(args[i], value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(bootstrap, database, rate, orders, seed);
        }

        private static long positive(String option, String value, long max) {
            long n = number(option, value);
            if (n < 1 || n > max) {
                throw new IllegalArgumentException(option + " takes a number from 1 to " + max + ", got " + value);
            }
            return n;
        }

        private static long number(String option, String value) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes a number, got '" + value + "'");
            }
        }
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("thermocline demo: " + e.getMessage() + "\n" + USAGE);
            System.exit(64);
            return;
        }
        Thread main = Thread.currentThread();
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            main.interrupt();
            try {
                main.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Connection connection = ConnectionFactory.create(new Configuration(Map.of("bootstrap.servers",
                options.bootstrapServers())))) {
            run(connection, options, System.out, stopping::get);
        } catch (RuntimeException e) {
            System.err.println("thermocline demo: " + e.getMessage());
            if (!stopping.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            System.exit(1);
        }
    }

    /** Writes until {@code options.orders()} or until {@code stopped} says so; every write is flushed before it returns. */
    static DemoWorkload run(Connection connection, Options options, PrintStream out, BooleanSupplier stopped) {
        DemoTables.createOrCheck(connection.admin(), options.database());
        DemoProgress progress = new DemoProgress(connection.admin(), options.database());
        long firstOrderId = progress.ordersInTable(); // a restarted demo continues the order ids
        boolean tty = System.console() != null;
        out.println("Writing to " + options.database() + ".orders, .customers and .inventory on "
                + options.bootstrapServers() + " at " + options.rate() + " orders/s"
                + (options.orders() == Long.MAX_VALUE ? " until Ctrl-C" : ", " + options.orders() + " orders") + ".");
        try (AppendWriter orders = connection.table(DemoTables.orders(options.database())).newAppendWriter();
                UpsertWriter customers = connection.table(DemoTables.customers(options.database())).newUpsertWriter();
                UpsertWriter inventory = connection.table(DemoTables.inventory(options.database())).newUpsertWriter()) {
            WriterSink sink = new WriterSink(orders, customers, inventory);
            DemoWorkload workload = new DemoWorkload(options.seed(), firstOrderId, sink);
            workload.seed();
            long start = System.nanoTime();
            long nanosPerOrder = TimeUnit.SECONDS.toNanos(1) / options.rate();
            long nextReport = start + TimeUnit.SECONDS.toNanos(1);
            while (workload.orders() < options.orders() && !stopped.getAsBoolean() && !Thread.interrupted()) {
                long due = start + workload.orders() * nanosPerOrder;
                long now = System.nanoTime();
                if (due > now) {
                    LockSupport.parkNanos(due - now);
                    continue;
                }
                workload.next();
                sink.checkFailures();
                if (now >= nextReport) {
                    printProgress(out, tty, progress.line(workload, now - start));
                    nextReport = now + TimeUnit.SECONDS.toNanos(1);
                }
            }
            orders.flush();
            customers.flush();
            inventory.flush();
            sink.checkFailures();
            printProgress(out, tty, progress.line(workload, System.nanoTime() - start));
            out.println();
            out.println("Wrote " + workload.orders() + " orders, " + workload.customerChanges() + " customer updates, "
                    + workload.customerDeletes() + " customer deletes and " + workload.inventoryChanges()
                    + " inventory updates.");
            return workload;
        }
    }

    private static void printProgress(PrintStream out, boolean tty, String line) {
        if (tty) {
            out.print("\r" + line + "\u001b[K");
            out.flush();
        } else {
            out.println(line);
        }
    }

    /** Hands the workload's rows to the writers, and keeps the first failure a write reports. */
    private static final class WriterSink implements DemoWorkload.Sink {
        private final AppendWriter orders;
        private final UpsertWriter customers;
        private final UpsertWriter inventory;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        WriterSink(AppendWriter orders, UpsertWriter customers, UpsertWriter inventory) {
            this.orders = orders;
            this.customers = customers;
            this.inventory = inventory;
        }

        @Override
        public void order(GenericRow order) {
            watch(orders.append(order));
        }

        @Override
        public void upsertCustomer(GenericRow customer) {
            watch(customers.upsert(customer));
        }

        @Override
        public void deleteCustomer(GenericRow customer) {
            watch(customers.delete(customer));
        }

        @Override
        public void upsertInventory(GenericRow item) {
            watch(inventory.upsert(item));
        }

        private void watch(CompletableFuture<?> write) {
            write.whenComplete((ignored, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            });
        }

        void checkFailures() {
            Throwable error = failure.get();
            if (error != null) {
                throw new IllegalStateException("a write failed: " + error.getMessage(), error);
            }
        }
    }
}
