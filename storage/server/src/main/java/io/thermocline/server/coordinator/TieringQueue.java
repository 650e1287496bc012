package io.thermocline.server.coordinator;

import io.thermocline.common.exception.FencedTieringEpochException;
import io.thermocline.common.internal.utils.Clock;
import io.thermocline.common.metadata.TablePath;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The lake-enabled tables and when each is due for its next tiering round. A job acquires the
 * most overdue table with a fresh tiering epoch and must heartbeat it; a job silent for longer
 * than the heartbeat timeout loses the table, which is due again at once, and every later call
 * with its epoch is fenced. Epochs carry the coordinator epoch in their high half, so a new
 * coordinator never hands out an epoch an old one did. Thread-safe.
 */
final class TieringQueue {
    private static final Logger LOG = LoggerFactory.getLogger(TieringQueue.class);

    private final Clock clock;
    private final long heartbeatTimeoutMs;
    private final long retryDelayMs;
    private final long retryMaxDelayMs;
    private final Map<Long, Entry> tables = new HashMap<>();
    private int coordinatorEpoch = -1;
    private long rounds;

    /** The round a job acquired. */
    record Round(long tableId, TablePath path, long epoch) {}

    private static final class Entry {
        final TablePath path;
        long freshnessMs;
        long dueAtMs;
        /** The current round's epoch, -1 when no job holds the table. */
        long epoch = -1;
        String job;
        long roundStartedMs;
        long lastHeartbeatMs;
        /** Rounds failed in a row (the lake unreachable, say): each retry waits twice as long. */
        int failures;
        long failingSinceMs;

        Entry(TablePath path, long freshnessMs, long dueAtMs) {
            this.path = path;
            this.freshnessMs = freshnessMs;
            this.dueAtMs = dueAtMs;
        }
    }

    TieringQueue(Clock clock, Duration heartbeatTimeout, Duration retryDelay, Duration retryMaxDelay) {
        this.clock = clock;
        this.heartbeatTimeoutMs = heartbeatTimeout.toMillis();
        this.retryDelayMs = retryDelay.toMillis();
        this.retryMaxDelayMs = Math.max(retryDelay.toMillis(), retryMaxDelay.toMillis());
    }

    /** A new term: forget every round of the previous one. Tables are added back by the caller. */
    synchronized void reset(int newCoordinatorEpoch) {
        tables.clear();
        coordinatorEpoch = newCoordinatorEpoch;
        rounds = 0;
    }

    /** A lake-enabled table, first due one freshness interval from now. */
    synchronized void add(long tableId, TablePath path, Duration freshness) {
        tables.putIfAbsent(tableId, new Entry(path, freshness.toMillis(), clock.milliseconds() + freshness.toMillis()));
    }

    synchronized void remove(long tableId) {
        tables.remove(tableId);
    }

    synchronized void setFreshness(long tableId, Duration freshness) {
        Entry entry = tables.get(tableId);
        if (entry != null) {
            long previous = entry.freshnessMs;
            entry.freshnessMs = freshness.toMillis();
            entry.dueAtMs += entry.freshnessMs - previous;
        }
    }

    /** The most overdue table no job holds, now held by {@code job} under a new epoch. */
    synchronized Optional<Round> acquire(String job) {
        long now = clock.milliseconds();
        expire(now);
        Map.Entry<Long, Entry> best = null;
        for (Map.Entry<Long, Entry> candidate : tables.entrySet()) {
            Entry entry = candidate.getValue();
            if (entry.epoch < 0 && entry.dueAtMs <= now && (best == null || entry.dueAtMs < best.getValue().dueAtMs)) {
                best = candidate;
            }
        }
        if (best == null || coordinatorEpoch < 0) {
            return Optional.empty();
        }
        Entry entry = best.getValue();
        entry.epoch = ((long) coordinatorEpoch << 32) | ++rounds;
        entry.job = job;
        entry.roundStartedMs = now;
        entry.lastHeartbeatMs = now;
        return Optional.of(new Round(best.getKey(), entry.path, entry.epoch));
    }

    /** Keeps a round alive; fenced when the table is no longer this job's at this epoch. */
    synchronized void heartbeat(String job, long tableId, long epoch) {
        long now = clock.milliseconds();
        expire(now);
        Entry entry = require(tableId, epoch);
        if (!entry.job.equals(job)) {
            throw fenced(tableId, epoch, "it is held by job " + entry.job);
        }
        entry.lastHeartbeatMs = now;
    }

    /** Checks that {@code epoch} is the table's current round, without changing anything. */
    synchronized void checkCurrent(long tableId, long epoch) {
        expire(clock.milliseconds());
        require(tableId, epoch);
    }

    /**
     * The round ended; the table is due one freshness interval after the round began, or at once
     * when the round left a backlog (it stopped short of rows already written).
     */
    synchronized void finish(long tableId, long epoch, boolean backlog) {
        Entry entry = require(tableId, epoch);
        if (entry.failures > 0) {
            LOG.info("Tiering of {} resumed: round {} ended after {} failed rounds over {} s", entry.path, epoch,
                    entry.failures, (clock.milliseconds() - entry.failingSinceMs) / 1000);
            entry.failures = 0;
        }
        entry.epoch = -1;
        entry.job = null;
        entry.dueAtMs = backlog ? clock.milliseconds() : entry.roundStartedMs + entry.freshnessMs;
    }

    /**
     * The round failed; the table is due again for any job after a delay that doubles with each
     * failure in a row (from the retry delay, at most its freshness, to the maximum). The first
     * failure of a streak is logged as a warning, the others only at debug level.
     */
    synchronized void fail(long tableId, long epoch, String reason) {
        Entry entry = require(tableId, epoch);
        long now = clock.milliseconds();
        long first = Math.min(retryDelayMs, entry.freshnessMs);
        long delay = Math.min(retryMaxDelayMs, first << Math.min(20, entry.failures));
        if (entry.failures == 0) {
            entry.failingSinceMs = now;
            LOG.warn("Tiering of {} paused: round {} failed in job {}: {}. Retrying with backoff (up to {} s); the"
                    + " hot tier is not affected", entry.path, epoch, entry.job, reason, retryMaxDelayMs / 1000);
        } else {
            LOG.debug("Tiering round {} of {} failed again ({} in a row), next try in {} ms: {}", epoch, entry.path,
                    entry.failures + 1, delay, reason);
        }
        entry.failures++;
        entry.epoch = -1;
        entry.job = null;
        entry.dueAtMs = now + delay;
    }

    /** Tables whose last round failed: tiering them is paused until a retry succeeds. */
    synchronized int pausedTables() {
        return (int) tables.values().stream().filter(entry -> entry.failures > 0).count();
    }

    private Entry require(long tableId, long epoch) {
        Entry entry = tables.get(tableId);
        if (entry == null) {
            throw fenced(tableId, epoch, "the table is not lake-enabled or was dropped");
        }
        if (entry.epoch != epoch) {
            throw fenced(tableId, epoch, entry.epoch < 0 ? "no round is open" : "the current round is " + entry.epoch);
        }
        return entry;
    }

    /** Rounds whose job went silent are taken away: due again now, their epoch stale. */
    private void expire(long now) {
        for (Entry entry : tables.values()) {
            if (entry.epoch >= 0 && now - entry.lastHeartbeatMs > heartbeatTimeoutMs) {
                LOG.warn("Tiering job {} sent no heartbeat for {} in {} ms; round {} is fenced and the table is due again",
                        entry.job, entry.path, now - entry.lastHeartbeatMs, entry.epoch);
                entry.epoch = -1;
                entry.job = null;
                entry.dueAtMs = now;
            }
        }
    }

    private static FencedTieringEpochException fenced(long tableId, long epoch, String why) {
        return new FencedTieringEpochException("Tiering round " + epoch + " of table id " + tableId + " is not current: "
                + why);
    }
}
