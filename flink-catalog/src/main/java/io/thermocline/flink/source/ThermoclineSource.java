package io.thermocline.flink.source;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.types.RowType;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.table.data.RowData;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * A FLIP-27 source over a table's hot tier: one split per bucket, offsets in checkpoints (exactly
 * once on restore), optionally bounded at the high watermarks of its start, optionally projected
 * (only the chosen columns leave the servers).
 */
public final class ThermoclineSource implements Source<RowData, BucketSplit, Boolean> {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> clientOptions;
    private final TablePath path;
    private final long startOffset;
    private final boolean bounded;
    private final int[] projection;
    private final RowType readType;
    private final Merge merge;

    /**
     * A bounded read of a primary-key table merges, per bucket, the lake's rows and the changelog
     * after them by key (the changelog wins, deletes remove) and emits the current rows.
     *
     * @param key the key columns' positions in the table's rows
     * @param projection the columns to emit, or null for all
     */
    public record Merge(int[] key, int[] projection) implements java.io.Serializable {}

    /**
     * A read of a table's changelog view: each row with its change type, offset and commit time in
     * front, append-only.
     *
     * @param projection the view's columns to emit, or null for all
     */
    public record ChangelogView(int[] projection) implements java.io.Serializable {}

    private final ChangelogView changelogView;

    /**
     * @param startOffset an offset, or {@code LogScanner.EARLIEST} / {@code LogScanner.LATEST}
     * @param projection column indexes to read, or null for all
     * @param readType the row type of the rows read (projected)
     * @param merge how a bounded read of a primary-key table merges, or null to emit rows as read
     * @param changelogView set for a read of the changelog view
     */
    public ThermoclineSource(Map<String, String> clientOptions, TablePath path, long startOffset, boolean bounded,
            int[] projection, RowType readType, Merge merge, ChangelogView changelogView) {
        this.clientOptions = Map.copyOf(clientOptions);
        this.path = path;
        this.startOffset = startOffset;
        this.bounded = bounded;
        this.projection = projection;
        this.readType = readType;
        this.merge = merge;
        this.changelogView = changelogView;
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RowData, BucketSplit> createReader(SourceReaderContext context) {
        return new BucketSplitReader(context, clientOptions, path, projection, readType, merge, changelogView);
    }

    @Override
    public SplitEnumerator<BucketSplit, Boolean> createEnumerator(SplitEnumeratorContext<BucketSplit> context) {
        return new BucketSplitEnumerator(context, clientOptions, path, startOffset, bounded, changelogView == null,
                false);
    }

    @Override
    public SplitEnumerator<BucketSplit, Boolean> restoreEnumerator(SplitEnumeratorContext<BucketSplit> context,
            Boolean assigned) {
        return new BucketSplitEnumerator(context, clientOptions, path, startOffset, bounded, changelogView == null,
                assigned);
    }

    @Override
    public SimpleVersionedSerializer<BucketSplit> getSplitSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(BucketSplit split) throws IOException {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    out.writeLong(split.partitionId);
                    out.writeInt(split.bucket);
                    out.writeLong(split.startOffset);
                    out.writeLong(split.stopOffset);
                    out.writeLong(split.lakeSnapshotId);
                }
                return bytes.toByteArray();
            }

            @Override
            public BucketSplit deserialize(int version, byte[] serialized) throws IOException {
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                    return BucketSplit.of(in.readLong(), in.readInt(), in.readLong(), in.readLong(), in.readLong());
                }
            }
        };
    }

    @Override
    public SimpleVersionedSerializer<Boolean> getEnumeratorCheckpointSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Boolean assigned) {
                return new byte[] {(byte) (assigned ? 1 : 0)};
            }

            @Override
            public Boolean deserialize(int version, byte[] serialized) {
                return serialized.length > 0 && serialized[0] == 1;
            }
        };
    }
}
