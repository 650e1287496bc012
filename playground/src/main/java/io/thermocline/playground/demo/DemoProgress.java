package io.thermocline.playground.demo;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.LakeSnapshot;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.common.metadata.TablePath;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** The demo's progress line: what it wrote, and where the hot tier and the lake stand. */
final class DemoProgress {
    private static final List<Integer> BUCKETS = IntStream.range(0, DemoTables.BUCKETS).boxed().toList();

    private final Admin admin;
    private final List<TablePath> tables;

    DemoProgress(Admin admin, String database) {
        this.admin = admin;
        this.tables = List.of(DemoTables.orders(database), DemoTables.customers(database),
                DemoTables.inventory(database));
    }

    /** Rows of {@code orders} (its hot end offsets): where a restarted demo continues the order ids. */
    long ordersInTable() {
        return hotEnd(tables.get(0));
    }

    String line(DemoWorkload workload, long elapsedNanos) {
        double seconds = Math.max(1e-3, elapsedNanos / (double) TimeUnit.SECONDS.toNanos(1));
        long hot = 0;
        long lake = 0;
        StringBuilder perTable = new StringBuilder();
        for (TablePath table : tables) {
            long tableHot = hotEnd(table);
            Optional<LakeSnapshot> snapshot = admin.getLakeSnapshot(table).join();
            long tableLake = snapshot.map(s -> s.endOffsets().values().stream().mapToLong(Long::longValue).sum())
                    .orElse(0L);
            hot += tableHot;
            lake += tableLake;
            perTable.append(perTable.length() == 0 ? "" : ", ").append(table.table()).append(' ')
                    .append(tableHot - tableLake);
        }
        return String.format("%,d orders (%,.0f/s), %,d customer updates, %,d deletes, %,d stock changes"
                        + " | hot end %,d, lake %,d, tiering lag %,d (%s)",
                workload.orders(), workload.orders() / seconds, workload.customerChanges(), workload.customerDeletes(),
                workload.inventoryChanges(), hot, lake, hot - lake, perTable);
    }

    private long hotEnd(TablePath table) {
        Map<Integer, Long> ends = admin.listOffsets(table, BUCKETS, OffsetSpec.latest()).join();
        return ends.values().stream().mapToLong(Long::longValue).sum();
    }
}
