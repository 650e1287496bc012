package io.thermocline.tiering.committer;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TieringGateway;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.tiering.TieredTable;
import io.thermocline.tiering.TieringFaults;
import io.thermocline.tiering.TieringOptions;
import io.thermocline.tiering.source.RoundInfo;
import io.thermocline.tiering.writer.BucketWriteResult;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.StructLike;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The single committer: gathers the buckets of each round and, once all are in, commits the
 * round (see {@link LakeCommitter}). Emits the outcome of every round. Runs with parallelism 1.
 */
public final class CommitterFunction extends ProcessFunction<BucketWriteResult, String> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CommitterFunction.class);

    private final Map<String, String> conf;
    private final TieringFaults faults;
    private transient Connection connection;
    private transient LakeCatalog catalog;
    private transient LakeCommitter committer;
    private transient LakeMaintenance maintenance;
    private transient Map<String, List<BucketWriteResult>> rounds;
    private transient TieringMetrics metrics;

    public CommitterFunction(Map<String, String> conf, TieringFaults faults) {
        this.conf = Map.copyOf(conf);
        this.faults = faults;
    }

    @Override
    public void open(OpenContext openContext) {
        connection = ConnectionFactory.create(new Configuration(conf));
        catalog = new LakeCatalog(conf);
        committer = new LakeCommitter(connection.tiering(), faults);
        maintenance = new LakeMaintenance(new Configuration(conf).get(TieringOptions.TARGET_FILE_SIZE).bytes());
        rounds = new HashMap<>();
        metrics = new TieringMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(BucketWriteResult result, Context context, Collector<String> out) {
        RoundInfo round = result.round;
        String key = round.tableId + "/" + round.epoch;
        // An older round of the same table was abandoned (a restart lost some of its buckets): forget it.
        rounds.entrySet().removeIf(e -> e.getValue().get(0).round.tableId == round.tableId
                && e.getValue().get(0).round.epoch < round.epoch);
        List<BucketWriteResult> results = rounds.computeIfAbsent(key, k -> new ArrayList<>());
        results.add(result);
        if (results.size() < round.buckets) {
            return;
        }
        rounds.remove(key);
        Map<TableBucket, Long> ends = new TreeMap<>();
        List<ContentFile<?>> files = new ArrayList<>();
        for (BucketWriteResult bucket : results) {
            ends.put(new TableBucket(round.tableId, bucket.partitionId, bucket.bucket), bucket.endOffset);
            files.addAll(bucket.files());
        }
        TieringGateway.Round gatewayRound = new TieringGateway.Round(round.tableId, round.path(), round.epoch);
        LakeCommitter.Outcome outcome;
        TieredTable table;
        long started = System.currentTimeMillis();
        try {
            table = TieredTable.load(connection, catalog, round.path(), round.tableId);
            outcome = committer.commit(round, table, ends, files);
        } catch (RuntimeException e) {
            if (e instanceof TieringFaults.InjectedFault) {
                throw e;
            }
            metrics.failed();
            LOG.warn("Round {} of {} failed to commit", round.epoch, round.path(), e);
            connection.tiering().fail(gatewayRound, String.valueOf(e.getMessage())).exceptionally(t -> null).join();
            out.collect(round.path() + " round " + round.epoch + " FAILED");
            return;
        }
        if (outcome == LakeCommitter.Outcome.CONFLICT) {
            metrics.conflicting();
            connection.tiering().fail(gatewayRound, "conflicting commit").exceptionally(t -> null).join();
        }
        if (outcome == LakeCommitter.Outcome.COMMITTED) {
            metrics.committed(round.path().toString(), files, System.currentTimeMillis() - started);
            maintain(table, files);
        }
        out.collect(round.path() + " round " + round.epoch + " " + outcome);
    }

    /** With auto-maintenance, packs the touched buckets and expires old snapshots; never fails the round. */
    private void maintain(TieredTable table, List<ContentFile<?>> files) {
        Configuration options = new Configuration(table.info().options());
        if (!options.get(TableOptions.DATALAKE_AUTO_MAINTENANCE)) {
            return;
        }
        Map<String, StructLike> touched = new HashMap<>();
        files.forEach(f -> touched.putIfAbsent(f.partition().toString(), f.partition()));
        try {
            maintenance.run(table.lake(), table.info().schema().hasPrimaryKey(), new ArrayList<>(touched.values()),
                    options.get(TableOptions.DATALAKE_SNAPSHOT_RETENTION));
        } catch (RuntimeException e) {
            LOG.warn("Maintenance of {} failed; the next round tries again: {}", table.info().path(), e.toString());
        }
    }

    @Override
    public void close() {
        if (catalog != null) {
            catalog.close();
        }
        if (connection != null) {
            connection.close();
        }
    }
}
