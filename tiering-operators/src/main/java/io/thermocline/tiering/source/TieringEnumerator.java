package io.thermocline.tiering.source;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.client.api.TieringGateway;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.exception.FencedTieringEpochException;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.tiering.TieredTable;
import io.thermocline.tiering.TieringOptions;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives the job from the coordinator's tiering queue: while it has fewer rounds than allowed, it
 * asks for a due table, plans the round's splits and hands them to readers as they ask; it
 * heartbeats every open round and forgets a round once the coordinator no longer counts it as
 * this job's (finished by the committer, or fenced). Stateless across restarts: a restarted job's
 * old rounds time out at the coordinator, and new rounds start from what the lake holds.
 */
final class TieringEnumerator implements SplitEnumerator<TieringSplit, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(TieringEnumerator.class);

    private final SplitEnumeratorContext<TieringSplit> context;
    private final Map<String, String> conf;
    private final String jobId;
    private final int maxRounds;
    private final long maxRoundOffsets;
    private final Deque<TieringSplit> pending = new ArrayDeque<>();
    private final Set<Integer> waitingReaders = new LinkedHashSet<>();
    private final Map<Long, TieringGateway.Round> rounds = new ConcurrentHashMap<>();
    private Connection connection;
    private LakeCatalog catalog;
    private boolean acquiring;

    TieringEnumerator(SplitEnumeratorContext<TieringSplit> context, Map<String, String> conf, String jobId) {
        this.context = context;
        this.conf = conf;
        this.jobId = jobId;
        Configuration options = new Configuration(conf);
        this.maxRounds = options.get(TieringOptions.MAX_CONCURRENT_ROUNDS);
        this.maxRoundOffsets = options.get(TieringOptions.MAX_ROUND_OFFSETS);
    }

    @Override
    public void start() {
        Configuration options = new Configuration(conf);
        connection = ConnectionFactory.create(options);
        catalog = new LakeCatalog(conf);
        long poll = options.get(TieringOptions.POLL_INTERVAL).toMillis();
        long heartbeat = options.get(TieringOptions.HEARTBEAT_INTERVAL).toMillis();
        context.callAsync(() -> null, (ignored, error) -> maybeAcquire(), 0, poll);
        context.callAsync(this::heartbeat, (fenced, error) -> {
            if (error != null) {
                LOG.warn("Tiering job {}: heartbeat failed: {}", jobId, error.toString());
            } else {
                fenced.forEach(rounds::remove);
            }
        }, heartbeat, heartbeat);
    }

    private void maybeAcquire() {
        if (acquiring || !pending.isEmpty()) {
            return;
        }
        acquiring = true;
        context.callAsync(this::acquireAndPlan, (splits, error) -> {
            acquiring = false;
            if (error != null) {
                LOG.warn("Tiering job {}: could not take a table: {}", jobId, error.toString());
                return;
            }
            for (TieringSplit split : splits) {
                TieringGateway.Round round = rounds.get(split.round.tableId);
                if (round != null && round.epoch() == split.round.epoch) { // not abandoned meanwhile
                    pending.add(split);
                }
            }
            assignPending();
        });
    }

    /**
     * Runs outside the enumerator thread: takes due tables from the coordinator while this job has
     * room for more rounds, and plans their splits. A due table waits for the next poll only when
     * the job is full or none is due, so one busy table does not hold up another for a poll each.
     */
    private List<TieringSplit> acquireAndPlan() {
        if (rounds.size() >= maxRounds) {
            // The committer ends rounds with the coordinator; the heartbeat learns which, so free their slots now.
            heartbeat().forEach(rounds::remove);
        }
        List<TieringSplit> splits = new ArrayList<>();
        // Each due table once per ask: a table with nothing new ends its round at once and may be due again
        // before this loop ends, which must not keep the tables with data waiting.
        Set<Long> taken = new HashSet<>();
        while (rounds.size() < maxRounds) {
            Optional<TieringGateway.Round> acquired = connection.tiering().acquire(jobId).join();
            if (acquired.isEmpty()) {
                break;
            }
            splits.addAll(plan(acquired.get()));
            if (!taken.add(acquired.get().tableId())) {
                break;
            }
        }
        return splits;
    }

    private List<TieringSplit> plan(TieringGateway.Round round) {
        rounds.put(round.tableId(), round);
        try {
            TieredTable table = TieredTable.load(connection, catalog, round.path(), round.tableId());
            TieringStart start = TieringStart.of(round, table, connection.admin());
            List<TieringSplit> splits = RoundPlanner.plan(round, table, connection.admin(), start,
                    maxRoundOffsets);
            if (splits.isEmpty()) {
                // Nothing new: the round ends here, reporting what the lake holds (which heals a lost report).
                connection.tiering().finish(round, start.snapshotId(), start.offsets().endOffsets(), false).join();
                rounds.remove(round.tableId());
            } else {
                LOG.info("Tiering job {}: round {} of {} tiers {} buckets", jobId, round.epoch(), round.path(),
                        splits.size());
            }
            return splits;
        } catch (RuntimeException e) {
            rounds.remove(round.tableId());
            LOG.warn("Tiering job {}: round {} of {} failed to start: {}", jobId, round.epoch(), round.path(),
                    e.getMessage());
            connection.tiering().fail(round, String.valueOf(e.getMessage())).exceptionally(t -> null).join();
            return List.of();
        }
    }

    private List<Long> heartbeat() {
        List<TieringGateway.Round> open = new ArrayList<>(rounds.values());
        if (open.isEmpty()) {
            return List.of();
        }
        Map<Long, FencedTieringEpochException> fenced = connection.tiering().heartbeat(jobId, open).join();
        return new ArrayList<>(fenced.keySet());
    }

    private void assignPending() {
        while (!pending.isEmpty() && !waitingReaders.isEmpty()) {
            int reader = waitingReaders.iterator().next();
            waitingReaders.remove(reader);
            if (!context.registeredReaders().containsKey(reader)) {
                continue;
            }
            context.assignSplit(pending.poll(), reader);
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        waitingReaders.add(subtaskId);
        assignPending();
    }

    /**
     * A reader failed, so its tasks restarted and with them the writers and the committer, which
     * lost the files of every open round: abandon them all. Each table is due again shortly and
     * its next round starts from what the lake holds.
     */
    @Override
    public void addSplitsBack(List<TieringSplit> splits, int subtaskId) {
        pending.clear();
        List<TieringGateway.Round> abandoned = new ArrayList<>(rounds.values());
        rounds.clear();
        if (abandoned.isEmpty()) {
            return;
        }
        LOG.info("Tiering job {}: reader {} failed; abandoning rounds {}", jobId, subtaskId, abandoned);
        context.callAsync(() -> {
            for (TieringGateway.Round round : abandoned) {
                connection.tiering().fail(round, "the tiering job restarted").exceptionally(t -> null).join();
            }
            return null;
        }, (ignored, error) -> {});
    }

    @Override
    public void addReader(int subtaskId) {
        // readers ask for splits when idle
    }

    @Override
    public Void snapshotState(long checkpointId) {
        return null;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        if (catalog != null) {
            catalog.close();
        }
    }
}
