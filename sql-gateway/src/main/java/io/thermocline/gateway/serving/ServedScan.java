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

import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.RowData;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code SELECT ... FROM log_table [WHERE ...] LIMIT n} answered by the gateway: the first rows of
 * each bucket, read from its start with a scanner until n rows pass the rest of the plan or every
 * bucket is read to the end it had when the statement started. Without ORDER BY any n rows
 * answer the query; these are the earliest of each bucket. A lake-enabled table whose log no
 * longer starts at offset 0 keeps its oldest rows in the lake only: a Flink job (a union read)
 * answers it instead.
 */
final class ServedScan implements ServedStatement {
    /** Longest a read may wait for rows the buckets hold. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final TablePath path;
    private final int[] projection;
    private final RowConverter rows;
    private final long limit;
    private final GeneratedCalc calc;
    private final GeneratedCalc after;
    private final ResolvedSchema schema;

    /**
     * @param projection the columns read (null: all)
     * @param calc the plan between the read and the LIMIT (null: none)
     * @param after the plan above the LIMIT (null: none)
     */
    ServedScan(TablePath path, RowType rowType, int[] projection, long limit, GeneratedCalc calc, GeneratedCalc after,
            ResolvedSchema schema) {
        this.path = path;
        this.projection = projection;
        this.rows = new RowConverter(projection == null ? rowType : rowType.project(projection));
        this.limit = limit;
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
        return "the first " + limit + " row" + (limit == 1 ? "" : "s") + " from the start of the buckets of " + path
                + (calc == null ? "" : ", each after " + calc.description())
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
        if (new Configuration(info.options()).get(TableOptions.DATALAKE_ENABLED)
                && starts.values().stream().anyMatch(start -> start > 0)) {
            throw new NotServedException("the log of " + path + " no longer starts at offset 0: its oldest rows are"
                    + " in the lake only");
        }
        List<RowData> out = new ArrayList<>();
        Set<Integer> unread = new HashSet<>();
        try (LogScanner scanner = projection == null ? table.newLogScanner() : table.newLogScanner(projection)) {
            for (int bucket : buckets) {
                if (ends.get(bucket) > starts.get(bucket)) {
                    scanner.subscribe(bucket, starts.get(bucket));
                    unread.add(bucket);
                }
            }
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (out.size() < limit && !unread.isEmpty()) {
                List<RowData> read = new ArrayList<>();
                for (ScanRecord record : scanner.poll(Duration.ofMillis(100))) {
                    if (record.offset() < ends.get(record.bucket())) {
                        read.add(rows.toFlink(record.row()));
                    }
                }
                out.addAll(calc == null ? read : calc.apply(read));
                unread.removeIf(bucket -> scanner.position(TableBucket.NO_PARTITION, bucket) >= ends.get(bucket));
                if (System.nanoTime() > deadline && out.size() < limit && !unread.isEmpty()) {
                    throw new ServingException("Reading the first rows of " + path + " took more than "
                            + READ_TIMEOUT.toSeconds() + " s; buckets " + unread + " are not read to their end", null);
                }
            }
        }
        List<RowData> limited = out.size() > limit ? new ArrayList<>(out.subList(0, (int) limit)) : out;
        return after == null ? limited : after.apply(limited);
    }
}
