package io.thermocline.client.api;

import io.thermocline.common.exception.FencedTieringEpochException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The coordinator's tiering queue, for tiering jobs: take a due table, keep the round alive with
 * heartbeats, and end it with the lake snapshot it produced or with a failure. Every call about a
 * round names its tiering epoch; a stale one fails with {@link FencedTieringEpochException}.
 */
public interface TieringGateway {

    /** A round of tiering one table, as handed out by the coordinator. */
    record Round(long tableId, TablePath path, long epoch) {}

    /** The most overdue lake-enabled table no job holds, now held by {@code jobId}; empty if none is due. */
    CompletableFuture<Optional<Round>> acquire(String jobId);

    /** Keeps rounds alive; the result holds the rounds that are fenced, with the reason. */
    CompletableFuture<Map<Long, FencedTieringEpochException>> heartbeat(String jobId, List<Round> rounds);

    /**
     * Ends a round: the Iceberg snapshot the table now ends with (-1 when the lake has none yet)
     * and its end offset per bucket. {@code backlog}: the round stopped short of rows already
     * written, so the table is due again at once rather than a freshness interval later.
     */
    CompletableFuture<Void> finish(Round round, long snapshotId, Map<TableBucket, Long> endOffsets, boolean backlog);

    /** Ends a round that failed; the table is due again soon, for any job. */
    CompletableFuture<Void> fail(Round round, String reason);
}
