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

        Entry(TablePath path, long freshnessMs, long dueAtMs) {
            this.path = path;
            this.freshnessMs = freshnessMs;
            this.dueAtMs = dueAtMs;
        }
    }

    TieringQueue(Clock clock, Duration heartbeatTimeout, Duration retryDelay) {
        this.clock = clock;
        this.heartbeatTimeoutMs = heartbeatTimeout.toMillis();
        this.retryDelayMs = retryDelay.toMillis();
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
        entry.epoch = -1;
        entry.job = null;
        entry.dueAtMs = backlog ? clock.milliseconds() : entry.roundStartedMs + entry.freshnessMs;
    }

    /** The round failed; the table is due again shortly, for any job. */
    synchronized void fail(long tableId, long epoch, String reason) {
        Entry entry = require(tableId, epoch);
        LOG.warn("Tiering round {} of {} failed in job {}: {}", epoch, entry.path, entry.job, reason);
        entry.epoch = -1;
        entry.job = null;
        entry.dueAtMs = clock.milliseconds() + Math.min(retryDelayMs, entry.freshnessMs);
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
