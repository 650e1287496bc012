package io.thermocline.client.internal;

import io.thermocline.client.api.TieringGateway;
import io.thermocline.common.exception.FencedTieringEpochException;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.rpc.messages.AcquireTieringTableRequest;
import io.thermocline.rpc.messages.AcquireTieringTableResponse;
import io.thermocline.rpc.messages.FailTieringRequest;
import io.thermocline.rpc.messages.FailTieringResponse;
import io.thermocline.rpc.messages.FinishTieringRequest;
import io.thermocline.rpc.messages.FinishTieringResponse;
import io.thermocline.rpc.messages.LakeBucketOffset;
import io.thermocline.rpc.messages.TieringHeartbeatRequest;
import io.thermocline.rpc.messages.TieringHeartbeatResponse;
import io.thermocline.rpc.messages.TieringRound;
import io.thermocline.rpc.messages.TieringRoundResult;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** {@link TieringGateway} over the coordinator's tiering RPCs. */
final class TieringGatewayImpl implements TieringGateway {
    private final CoordinatorChannel coordinator;

    TieringGatewayImpl(CoordinatorChannel coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<Optional<Round>> acquire(String jobId) {
        return coordinator.call(ApiKeys.ACQUIRE_TIERING_TABLE, AcquireTieringTableRequest.newBuilder().setJobId(jobId).build(),
                AcquireTieringTableResponse.parser()).thenApply(r -> !r.getHasTable() ? Optional.empty()
                : Optional.of(new Round(r.getTableId(), TablePath.of(r.getDatabase(), r.getTable()), r.getTieringEpoch())));
    }

    @Override
    public CompletableFuture<Map<Long, FencedTieringEpochException>> heartbeat(String jobId, List<Round> rounds) {
        TieringHeartbeatRequest.Builder request = TieringHeartbeatRequest.newBuilder().setJobId(jobId);
        rounds.forEach(r -> request.addRounds(TieringRound.newBuilder().setTableId(r.tableId()).setTieringEpoch(r.epoch())));
        return coordinator.call(ApiKeys.TIERING_HEARTBEAT, request.build(), TieringHeartbeatResponse.parser())
                .thenApply(response -> {
                    Map<Long, FencedTieringEpochException> fenced = new HashMap<>();
                    for (TieringRoundResult result : response.getResultsList()) {
                        if (result.getErrorCode() != Errors.NONE.code()) {
                            fenced.put(result.getTableId(), new FencedTieringEpochException(result.getErrorMessage()));
                        }
                    }
                    return fenced;
                });
    }

    @Override
    public CompletableFuture<Void> finish(Round round, long snapshotId, Map<TableBucket, Long> endOffsets,
            boolean backlog) {
        FinishTieringRequest.Builder request = FinishTieringRequest.newBuilder().setTableId(round.tableId())
                .setTieringEpoch(round.epoch()).setSnapshotId(snapshotId).setBacklog(backlog);
        endOffsets.forEach((bucket, offset) -> {
            LakeBucketOffset.Builder entry = LakeBucketOffset.newBuilder().setBucket(bucket.bucket()).setEndOffset(offset);
            if (bucket.isPartitioned()) {
                entry.setPartitionId(bucket.partitionId());
            }
            request.addOffsets(entry);
        });
        return coordinator.call(ApiKeys.FINISH_TIERING, request.build(), FinishTieringResponse.parser()).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Void> fail(Round round, String reason) {
        return coordinator.call(ApiKeys.FAIL_TIERING, FailTieringRequest.newBuilder().setTableId(round.tableId())
                .setTieringEpoch(round.epoch()).setReason(reason).build(), FailTieringResponse.parser()).thenApply(r -> null);
    }

    static Map<TableBucket, Long> toMap(long tableId, List<LakeBucketOffset> offsets) {
        Map<TableBucket, Long> map = new TreeMap<>();
        for (LakeBucketOffset offset : offsets) {
            map.put(new TableBucket(tableId, offset.hasPartitionId() ? offset.getPartitionId() : TableBucket.NO_PARTITION,
                    offset.getBucket()), offset.getEndOffset());
        }
        return map;
    }
}
