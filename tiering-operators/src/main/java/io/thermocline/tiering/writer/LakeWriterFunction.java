package io.thermocline.tiering.writer;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.internal.record.ColumnarBatch;
import io.thermocline.common.internal.record.LogRecordBatch;
import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.common.internal.record.SchemaEvolvingReader;
import io.thermocline.common.metadata.TableBucket;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.tiering.TieredTable;
import io.thermocline.tiering.TieringFaults;
import io.thermocline.tiering.TieringOptions;
import io.thermocline.tiering.source.RoundInfo;
import io.thermocline.tiering.source.TieringRecord;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.parquet.hadoop.CodecFactory;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The lake writer: decodes each bucket's batches into Arrow vectors and writes them to Parquet
 * (see {@link BucketTierWriter}); at a bucket's end marker it hands the bucket's files to the
 * committer. Chained to the source, so batches are not copied between them.
 */
public final class LakeWriterFunction extends ProcessFunction<TieringRecord, BucketWriteResult> {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> conf;
    private final TieringFaults faults;
    private transient Connection connection;
    private transient LakeCatalog catalog;
    private transient CodecFactory codecs;
    private transient BufferAllocator allocator;
    private transient Map<String, OpenBucket> open;
    /** Tables of recent rounds, by table id and epoch: loaded once per round, not per bucket. */
    private transient Map<String, TieredTable> tables;
    private transient long targetFileBytes;
    private transient long rowGroupBytes;

    private static final class OpenBucket {
        final BucketTierWriter writer;
        /**
         * Reads batches of any schema as rows of the table's latest, loaded after the round's end
         * offsets were fixed: no batch of the round can name a newer one.
         */
        final SchemaEvolvingReader reader;

        OpenBucket(BucketTierWriter writer, SchemaEvolvingReader reader) {
            this.writer = writer;
            this.reader = reader;
        }
    }

    public LakeWriterFunction(Map<String, String> conf, TieringFaults faults) {
        this.conf = Map.copyOf(conf);
        this.faults = faults;
    }

    @Override
    public void open(OpenContext openContext) {
        Configuration options = new Configuration(conf);
        connection = ConnectionFactory.create(options);
        catalog = new LakeCatalog(conf);
        codecs = new CodecFactory(new org.apache.hadoop.conf.Configuration(), 1 << 20);
        allocator = new RootAllocator();
        open = new HashMap<>();
        tables = new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TieredTable> eldest) {
                return size() > 16;
            }
        };
        targetFileBytes = options.get(TieringOptions.TARGET_FILE_SIZE).bytes();
        rowGroupBytes = options.get(TieringOptions.ROW_GROUP_SIZE).bytes();
    }

    @Override
    public void processElement(TieringRecord record, Context context, Collector<BucketWriteResult> out) {
        String key = record.round.tableId + "/" + record.round.epoch + "/" + record.partitionId + "/" + record.bucket;
        OpenBucket bucket = open.get(key);
        if (bucket == null) {
            faults.at(TieringFaults.Point.BEFORE_WRITE, record.round.tableId);
            bucket = openBucket(record);
            open.put(key, bucket);
        }
        if (record.isEnd()) {
            open.remove(key);
            BucketTierWriter.Result result;
            try {
                result = bucket.writer.finish();
            } finally {
                bucket.writer.close();
                bucket.reader.close();
            }
            out.collect(new BucketWriteResult(record.round, record.partitionId, record.bucket, record.to, result));
            return;
        }
        TableBucket tableBucket = new TableBucket(record.round.tableId, record.partitionId, record.bucket);
        for (LogRecordBatch batch : MemoryLogRecords.readableRecords(ByteBuffer.wrap(record.batches)).batches()) {
            if (batch.nextOffset() <= record.from || batch.baseOffset() >= record.to) {
                continue;
            }
            batch.ensureValid(tableBucket, batch.baseOffset());
            ColumnarBatch rows = bucket.reader.read(batch);
            bucket.writer.write(rows, record.from, record.to);
        }
    }

    private OpenBucket openBucket(TieringRecord record) {
        RoundInfo round = record.round;
        TieredTable table = tables.computeIfAbsent(round.tableId + "/" + round.epoch,
                k -> TieredTable.load(connection, catalog, round.path(), round.tableId));
        TableBucket bucket = new TableBucket(round.tableId, record.partitionId, record.bucket);
        OutputFileFactory files = OutputFileFactory.builderFor(table.lake(), record.bucket, round.epoch)
                .format(FileFormat.PARQUET).operationId(UUID.randomUUID().toString()).build();
        BucketTierWriter writer = new BucketTierWriter(table.lake(), table.info().schema(), record.bucket,
                table.partitionTuple(bucket), files, codecs, targetFileBytes, rowGroupBytes);
        return new OpenBucket(writer, new SchemaEvolvingReader(bucket, table.info().schemas(), table.info().schema(),
                null, allocator));
    }

    @Override
    public void close() {
        if (open != null) {
            open.values().forEach(b -> {
                b.writer.close();
                b.reader.close();
            });
            open.clear();
        }
        if (allocator != null) {
            allocator.close();
        }
        if (codecs != null) {
            codecs.release();
        }
        if (catalog != null) {
            catalog.close();
        }
        if (connection != null) {
            connection.close();
        }
    }
}
