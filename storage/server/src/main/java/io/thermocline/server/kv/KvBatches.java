package io.thermocline.server.kv;

import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.exception.ThermoclineStorageException;
import io.thermocline.common.internal.record.ChangeType;
import io.thermocline.common.internal.record.ColumnarBatch;
import io.thermocline.common.internal.record.LogCompression;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.LogRecordBatchBuilder;
import io.thermocline.common.internal.record.LogRecords;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.internal.record.SchemaEvolvingReader;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.server.log.BucketLog;

import org.apache.arrow.memory.BufferAllocator;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a writer's upsert batches into KV writes, and KV changelogs into log batches, for one
 * bucket of a primary-key table; and replays the log into a KV tablet. Reuses Arrow vectors, so
 * one per bucket, used under its replica's lock.
 */
public final class KvBatches implements AutoCloseable {
    /** Big enough for any changelog of one writer batch (at most twice its rows). */
    private static final int CHANGELOG_WRITE_LIMIT = 64 << 20;

    private final TableBucket bucket;
    private final KvSchemas schemas;
    private final BufferAllocator allocator;
    /** Reads batches of any schema as rows of the current one; replaced when the schema moves on. */
    private SchemaEvolvingReader reader;
    private LogRecordBatchBuilder builder;

    public KvBatches(TableBucket bucket, KvSchemas schemas, BufferAllocator allocator) {
        this.bucket = bucket;
        this.schemas = schemas;
        this.allocator = allocator;
    }

    /**
     * The writes of a writer's batches as rows of the newest schema among them and the current
     * one, which becomes current: +I rows are upserts, -D rows deletes. Throws
     * {@link InvalidRecordException} for other change types, {@code SchemaException} for an
     * unknown schema.
     */
    public List<KvTablet.Write> writes(MemoryLogRecords records, int[] targetColumns) {
        int newest = 0;
        for (LogRecordBatch batch : records.batches()) {
            batch.ensureValid(bucket, batch.baseOffset());
            newest = Math.max(newest, batch.schemaId());
        }
        Schema schema = schemas.advanceTo(newest);
        if (targetColumns != null) {
            schemas.merger().checkTargets(targetColumns);
        }
        SchemaEvolvingReader reader = reader();
        List<KvTablet.Write> writes = new ArrayList<>();
        for (LogRecordBatch batch : records.batches()) {
            ColumnarBatch rows = reader.read(batch);
            for (int i = 0; i < rows.recordCount(); i++) {
                ChangeType change = rows.changeType(i);
                if (change != ChangeType.INSERT && change != ChangeType.DELETE) {
                    throw new InvalidRecordException(bucket, batch.baseOffset(), "upsert batches hold +I (upsert) and"
                            + " -D (delete) rows, not " + change.shortString());
                }
                writes.add(new KvTablet.Write(change == ChangeType.DELETE,
                        GenericRow.copyOf(rows.row(i), schema.rowType()), targetColumns));
            }
        }
        return writes;
    }

    /** The changelog as one log batch, stamped with the writer's id and sequence (for deduplication). */
    public MemoryLogRecords changelogBatch(List<KvTablet.ChangeRow> changelog, long writerId, int batchSequence) {
        LogRecordBatchBuilder builder = builder();
        for (KvTablet.ChangeRow change : changelog) {
            if (!builder.tryAppend(change.changeType(), change.row())) {
                throw new InvalidRecordException(bucket, -1, "the changelog of one batch outgrew "
                        + CHANGELOG_WRITE_LIMIT + " bytes; send smaller batches");
            }
        }
        builder.setWriterState(writerId, batchSequence);
        return builder.build();
    }

    /**
     * A no-op marker for a writer's batch that changed nothing: appended in its place, it puts the
     * batch's sequence into the replicated log, where every replica learns it.
     */
    public MemoryLogRecords noOpMarker(long writerId, int batchSequence) {
        LogRecordBatchBuilder builder = builder();
        builder.setWriterState(writerId, batchSequence);
        return builder.buildNoOpMarker();
    }

    /** Feeds the changelog in {@code [from, to)} of the log into the tablet, as pending changes. */
    public void replay(BucketLog log, KvTablet kv, long from, long to) {
        if (from < log.logStartOffset()) {
            // Replaying less would leave keys out without a trace: refuse instead.
            throw new ThermoclineStorageException("The KV state of " + bucket + " needs the changelog from offset " + from
                    + ", but the log starts at " + log.logStartOffset() + " and no KV snapshot covers the gap", null);
        }
        long offset = from;
        while (offset < to) {
            LogRecords records = log.read(offset, 8 << 20, to).records();
            if (records.sizeInBytes() == 0) {
                break;
            }
            for (LogRecordBatch batch : records.batches()) {
                Schema schema = schemas.advanceTo(batch.schemaId());
                ColumnarBatch rows = reader().read(batch);
                for (int i = 0; i < rows.recordCount(); i++) {
                    long rowOffset = rows.offset(i);
                    if (rowOffset >= offset && rowOffset < to) {
                        kv.replay(rows.changeType(i), GenericRow.copyOf(rows.row(i), schema.rowType()), rowOffset);
                    }
                }
                offset = batch.nextOffset();
            }
        }
    }

    private SchemaEvolvingReader reader() {
        Schema current = schemas.current();
        if (reader == null || reader.schema().schemaId() != current.schemaId()) {
            if (reader != null) {
                reader.close();
            }
            reader = new SchemaEvolvingReader(bucket, schemas.lookup(), current, null, allocator);
        }
        return reader;
    }

    private LogRecordBatchBuilder builder() {
        Schema current = schemas.current();
        if (builder == null || builder.schemaId() != current.schemaId()) {
            if (builder != null) {
                builder.close();
            }
            builder = new LogRecordBatchBuilder(current.rowType(), current.schemaId(), LogCompression.LZ4_FRAME, true,
                    CHANGELOG_WRITE_LIMIT, allocator);
        }
        return builder;
    }

    @Override
    public void close() {
        if (builder != null) {
            builder.close();
        }
        if (reader != null) {
            reader.close();
        }
    }
}
