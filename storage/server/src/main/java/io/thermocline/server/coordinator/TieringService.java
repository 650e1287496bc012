package io.thermocline.server.coordinator;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.internal.utils.Clock;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.lake.TieredOffsets;
import io.thermocline.rpc.messages.AcquireTieringTableRequest;
import io.thermocline.rpc.messages.AcquireTieringTableResponse;
import io.thermocline.rpc.messages.FailTieringRequest;
import io.thermocline.rpc.messages.FailTieringResponse;
import io.thermocline.rpc.messages.FinishTieringRequest;
import io.thermocline.rpc.messages.FinishTieringResponse;
import io.thermocline.rpc.messages.GetLakeSnapshotRequest;
import io.thermocline.rpc.messages.GetLakeSnapshotResponse;
import io.thermocline.rpc.messages.LakeBucketOffset;
import io.thermocline.rpc.messages.TieringHeartbeatRequest;
import io.thermocline.rpc.messages.TieringHeartbeatResponse;
import io.thermocline.rpc.messages.TieringRound;
import io.thermocline.rpc.messages.TieringRoundResult;
import io.thermocline.rpc.protocol.ApiKeys;
import io.thermocline.rpc.protocol.Errors;
import io.thermocline.rpc.server.RpcService;
import io.thermocline.server.zk.ZkRecords.LakeSnapshot;
import io.thermocline.server.zk.ZkRecords.TableRegistration;
import io.thermocline.server.zk.ZooKeeperMetadataStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The coordinator's side of tiering: hands due tables to tiering jobs, keeps their rounds alive
 * on heartbeats, and records each finished round's lake snapshot in ZooKeeper, refusing every
 * call that carries a stale tiering epoch.
 */
final class TieringService {
    private static final Logger LOG = LoggerFactory.getLogger(TieringService.class);

    private final ZooKeeperMetadataStore store;
    private final ActiveCoordinator active;
    private final TieringQueue queue;
    private final Clock clock;

    TieringService(ZooKeeperMetadataStore store, ActiveCoordinator active, TieringQueue queue, Clock clock) {
        this.store = store;
        this.active = active;
        this.queue = queue;
        this.clock = clock;
    }

    void register(RpcService.Builder service) {
        service.register(ApiKeys.ACQUIRE_TIERING_TABLE, AcquireTieringTableRequest.parser(),
                        (ctx, r) -> active.serve(() -> acquire(r)))
                .register(ApiKeys.TIERING_HEARTBEAT, TieringHeartbeatRequest.parser(),
                        (ctx, r) -> active.serve(() -> heartbeat(r)))
                .register(ApiKeys.FINISH_TIERING, FinishTieringRequest.parser(), (ctx, r) -> active.serve(() -> finish(r)))
                .register(ApiKeys.FAIL_TIERING, FailTieringRequest.parser(), (ctx, r) -> active.serve(() -> {
                    queue.fail(r.getTableId(), r.getTieringEpoch(), r.getReason());
                    return FailTieringResponse.getDefaultInstance();
                }))
                .register(ApiKeys.GET_LAKE_SNAPSHOT, GetLakeSnapshotRequest.parser(),
                        (ctx, r) -> active.serve(() -> lakeSnapshot(r)));
    }

    /** This coordinator became active: queue every lake-enabled table. */
    void activate(int coordinatorEpoch) {
        queue.reset(coordinatorEpoch);
        for (long tableId : store.tableIds()) {
            store.table(tableId).ifPresent(this::tableCreated);
        }
    }

    void tableCreated(TableRegistration table) {
        Configuration options = new Configuration(table.options());
        if (options.get(TableOptions.DATALAKE_ENABLED)) {
            queue.add(table.tableId(), table.path(), options.get(TableOptions.DATALAKE_FRESHNESS));
        }
    }

    void tableDropped(long tableId) {
        queue.remove(tableId);
    }

    void optionsChanged(TableRegistration table) {
        Configuration options = new Configuration(table.options());
        queue.setFreshness(table.tableId(), options.get(TableOptions.DATALAKE_FRESHNESS));
    }

    private AcquireTieringTableResponse acquire(AcquireTieringTableRequest request) {
        Optional<TieringQueue.Round> round = queue.acquire(request.getJobId());
        if (round.isEmpty()) {
            return AcquireTieringTableResponse.newBuilder().setHasTable(false).build();
        }
        LOG.info("Tiering job {} takes {} (table id {}) in round {}", request.getJobId(), round.get().path(),
                round.get().tableId(), round.get().epoch());
        return AcquireTieringTableResponse.newBuilder().setHasTable(true).setTableId(round.get().tableId())
                .setDatabase(round.get().path().database()).setTable(round.get().path().table())
                .setTieringEpoch(round.get().epoch()).build();
    }

    private TieringHeartbeatResponse heartbeat(TieringHeartbeatRequest request) {
        TieringHeartbeatResponse.Builder response = TieringHeartbeatResponse.newBuilder();
        for (TieringRound round : request.getRoundsList()) {
            TieringRoundResult.Builder result = TieringRoundResult.newBuilder().setTableId(round.getTableId());
            try {
                queue.heartbeat(request.getJobId(), round.getTableId(), round.getTieringEpoch());
            } catch (RuntimeException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
            response.addResults(result);
        }
        return response.build();
    }

    /** Records the lake snapshot the round ended with (if any), then closes the round. */
    private FinishTieringResponse finish(FinishTieringRequest request) {
        long tableId = request.getTableId();
        queue.checkCurrent(tableId, request.getTieringEpoch());
        if (request.getSnapshotId() >= 0) {
            Map<String, Long> offsets = new TreeMap<>();
            for (LakeBucketOffset offset : request.getOffsetsList()) {
                offsets.put(TieredOffsets.bucketKey(new TableBucket(tableId, offset.hasPartitionId()
                        ? offset.getPartitionId() : TableBucket.NO_PARTITION, offset.getBucket())), offset.getEndOffset());
            }
            store.lakeSnapshot(tableId).ifPresent(previous -> previous.endOffsets().forEach((bucket, offset) -> {
                if (offsets.getOrDefault(bucket, 0L) < offset) {
                    LOG.warn("Lake snapshot {} of table id {} holds bucket {} to offset {}, below the {} recorded before;"
                            + " was the Iceberg table rolled back?", request.getSnapshotId(), tableId, bucket,
                            offsets.getOrDefault(bucket, 0L), offset);
                }
            }));
            store.setLakeSnapshot(tableId, new LakeSnapshot(request.getSnapshotId(), request.getTieringEpoch(), offsets,
                    clock.milliseconds()));
        }
        queue.finish(tableId, request.getTieringEpoch(), request.getBacklog());
        return FinishTieringResponse.getDefaultInstance();
    }

    private GetLakeSnapshotResponse lakeSnapshot(GetLakeSnapshotRequest request) {
        TableRegistration table = store.requireTable(TablePath.of(request.getDatabase(), request.getTable()));
        GetLakeSnapshotResponse.Builder response = GetLakeSnapshotResponse.newBuilder().setTableId(table.tableId());
        store.lakeSnapshot(table.tableId()).ifPresent(snapshot -> {
            response.setHasSnapshot(true).setSnapshotId(snapshot.snapshotId()).setTieringEpoch(snapshot.tieringEpoch());
            snapshot.endOffsets().forEach((key, offset) -> {
                TableBucket bucket = TieredOffsets.parseBucketKey(table.tableId(), key);
                LakeBucketOffset.Builder message = LakeBucketOffset.newBuilder().setBucket(bucket.bucket())
                        .setEndOffset(offset);
                if (bucket.isPartitioned()) {
                    message.setPartitionId(bucket.partitionId());
                }
                response.addOffsets(message);
            });
        });
        return response.build();
    }
}
