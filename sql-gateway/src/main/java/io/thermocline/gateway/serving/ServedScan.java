package io.thermocline.gateway.serving;

import io.thermocline.client.api.Admin;
import io.thermocline.client.api.LogScanner;
import io.thermocline.client.api.OffsetSpec;
import io.thermocline.client.api.ScanRecord;
import io.thermocline.client.api.Table;
import io.thermocline.client.api.TableInfo;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.RowConverter;
import io.thermocline.flink.source.RowMetadata;

import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code SELECT ... FROM log_table [WHERE ...] [ORDER BY commit time or offset] LIMIT n} answered
 * by the gateway with scanners. Without ORDER BY any n rows answer the query: the earliest of each
 * bucket, read from its start until n rows pass the rest of the plan or every bucket is read to
 * the end it had when the statement started. Ordered by a metadata column that grows along each
 * bucket's log (its commit time, which the leader never lets go back, or its offset), the n first
 * or last rows are among each bucket's n first or last rows that pass: those are read (the last
 * ones backwards, in growing chunks), merged and cut to n. A lake-enabled table whose log no
 * longer starts at offset 0 keeps its oldest rows in the lake only: when they may be needed, a
 * Flink job (a union read) answers instead.
 */
final class ServedScan implements ServedStatement {
    /** Longest a read may wait for rows the buckets hold. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** The order of an ordered LIMIT: a field (of this type) of the rows the Calc below it emits, and which way. */
    record Order(int field, LogicalType type, boolean descending, String description) {}

    private final TablePath path;
    private final int[] projection;
    private final List<String> metadata;
    private final RowConverter rows;
    private final long limit;
    private final Order order;
    private final GeneratedCalc calc;
    private final GeneratedCalc after;
    private final ResolvedSchema schema;

    /**
     * @param projection the columns read (null: all)
     * @param metadata the metadata columns read after them ({@code RowMetadata} keys)
     * @param order null for an unordered LIMIT
     * @param calc the plan between the read and the LIMIT (null: none)
     * @param after the plan above the LIMIT (null: none)
     */
    ServedScan(TablePath path, RowType rowType, int[] projection, List<String> metadata, long limit, Order order,
            GeneratedCalc calc, GeneratedCalc after, ResolvedSchema schema) {
        this.path = path;
        this.projection = projection;
        this.metadata = List.copyOf(metadata);
        this.rows = new RowConverter(projection == null ? rowType : rowType.project(projection));
        this.limit = limit;
        this.order = order;
        this.calc = calc;
        this.after = after;
        this.schema = schema;
    }

    @Override
    public ResolvedSchema schema() {
        return schema;
    }

    @Override
    public String describe() {
        String which = order == null ? "the first " + limit + " row" + (limit == 1 ? "" : "s")
                + " from the start of the buckets of " + path
                : "the " + (order.descending() ? "last " : "first ") + limit + " row" + (limit == 1 ? "" : "s")
                + " of " + path + " by " + order.description() + ", from the " + (order.descending() ? "end" : "start")
                + " of each bucket";
        return which + (calc == null ? "" : ", each after " + calc.description())
                + (after == null ? "" : ", then " + after.description());
    }

    @Override
    public List<RowData> execute(ServingClient client) {
        return client.read(path, (table, admin) -> read(table.table(), admin));
    }

    private List<RowData> read(Table table, Admin admin) throws Exception {
        TableInfo info = table.info();
        List<Integer> buckets = IntStream.range(0, info.bucketCount()).boxed().toList();
        Map<Integer, Long> ends = admin.listOffsets(path, buckets, OffsetSpec.latest()).get();
        Map<Integer, Long> starts = admin.listOffsets(path, buckets, OffsetSpec.earliest()).get();
        boolean lake = new Configuration(info.options()).get(TableOptions.DATALAKE_ENABLED);
        boolean truncated = lake && starts.values().stream().anyMatch(start -> start > 0);
        if (truncated && (order == null || !order.descending())) {
            throw new NotServedException("the log of " + path + " no longer starts at offset 0: its oldest rows are"
                    + " in the lake only");
        }
        List<RowData> found;
        if (order == null) {
            found = firstRows(table, buckets, starts, ends, limit);
        } else {
            found = new ArrayList<>();
            for (int bucket : buckets) {
                List<RowData> candidates = order.descending()
                        ? lastRows(table, bucket, starts.get(bucket), ends.get(bucket), lake)
                        : firstRows(table, List.of(bucket), starts, ends, limit);
                found.addAll(candidates);
            }
            @SuppressWarnings("unchecked")
            Comparator<RowData> byField = Comparator.comparing(row -> orderValue(row));
            found.sort(order.descending() ? byField.reversed() : byField);
        }
        List<RowData> limited = found.size() > limit ? new ArrayList<>(found.subList(0, (int) limit)) : found;
        return after == null ? limited : after.apply(limited);
    }

    @SuppressWarnings("rawtypes")
    private Comparable orderValue(RowData row) {
        // The order is by commit time (TIMESTAMP_LTZ) or offset (BIGINT), never NULL.
        return (Comparable) RowData.createFieldGetter(order.type(), order.field()).getFieldOrNull(row);
    }

    /** Up to {@code wanted} rows that pass, read from the start of the buckets, in bucket and offset order. */
    private List<RowData> firstRows(Table table, List<Integer> buckets, Map<Integer, Long> starts,
            Map<Integer, Long> ends, long wanted) throws Exception {
        List<RowData> out = new ArrayList<>();
        Set<Integer> unread = new HashSet<>();
        try (LogScanner scanner = scanner(table)) {
            for (int bucket : buckets) {
                if (ends.get(bucket) > starts.get(bucket)) {
                    scanner.subscribe(bucket, starts.get(bucket));
                    unread.add(bucket);
                }
            }
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (out.size() < wanted && !unread.isEmpty()) {
                List<RowData> read = new ArrayList<>();
                for (ScanRecord record : scanner.poll(Duration.ofMillis(100))) {
                    if (record.offset() < ends.get(record.bucket())) {
                        read.add(emit(record));
                    }
                }
                out.addAll(calc == null ? read : calc.apply(read));
                unread.removeIf(bucket -> scanner.position(TableBucket.NO_PARTITION, bucket) >= ends.get(bucket));
                checkDeadline(deadline, unread);
            }
        }
        return out;
    }

    /**
     * The last {@code limit} rows of a bucket that pass, read backwards in chunks that grow
     * fourfold; a lake-enabled bucket whose log no longer starts at 0 and holds too few is for a
     * Flink job.
     */
    private List<RowData> lastRows(Table table, int bucket, long start, long end, boolean lake) throws Exception {
        List<RowData> newest = new ArrayList<>(); // the rows that passed, oldest first
        long chunk = Math.max(limit, 64);
        long to = end;
        while (newest.size() < limit && to > start) {
            long from = Math.max(start, to - chunk);
            List<RowData> read = new ArrayList<>();
            try (LogScanner scanner = scanner(table)) {
                scanner.subscribe(bucket, from);
                long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
                while (scanner.position(TableBucket.NO_PARTITION, bucket) < to) {
                    for (ScanRecord record : scanner.poll(Duration.ofMillis(100))) {
                        if (record.offset() >= from && record.offset() < to) {
                            read.add(emit(record));
                        }
                    }
                    checkDeadline(deadline, Set.of(bucket));
                }
            }
            List<RowData> passed = new ArrayList<>(calc == null ? read : calc.apply(read));
            passed.addAll(newest);
            newest = passed;
            to = from;
            chunk *= 4;
        }
        if (newest.size() < limit && lake && start > 0) {
            throw new NotServedException("bucket " + bucket + " of " + path + " holds fewer than " + limit + " such"
                    + " rows from offset " + start + " on: older ones are in the lake only");
        }
        return newest.size() > limit ? new ArrayList<>(newest.subList((int) (newest.size() - limit), newest.size()))
                : newest;
    }

    private LogScanner scanner(Table table) {
        return projection == null ? table.newLogScanner() : table.newLogScanner(projection);
    }

    /** A record as the read emits it: its columns, then the metadata columns asked for. */
    private RowData emit(ScanRecord record) {
        GenericRowData columns = rows.toFlink(record.row());
        return metadata.isEmpty() ? columns
                : RowMetadata.append(columns, metadata, record.commitTimestamp(), record.offset(), record.bucket());
    }

    private void checkDeadline(long deadline, Set<Integer> unread) {
        if (System.nanoTime() > deadline) {
            throw new ServingException("Reading rows of " + path + " took more than " + READ_TIMEOUT.toSeconds()
                    + " s; buckets " + unread + " are not read to their end", null);
        }
    }
}
