package io.thermocline.client.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sealed batches of a {@link StagedWriter}, ready to commit; {@link #toBytes()} keeps them in a
 * checkpoint. Each batch carries its writer id and sequence, so committing them twice appends once.
 *
 * @param upsert whether they go to a primary-key table's KV tablets
 * @param targetColumns the columns a partial update sets, or null
 */
public record StagedBatches(long tableId, boolean upsert, int[] targetColumns, List<Batch> batches) {

    /** One sealed batch for a bucket ({@code partitionId} -1 for tables without partitions). */
    public record Batch(long partitionId, int bucket, byte[] records) {}

    public StagedBatches {
        batches = List.copyOf(batches);
    }

    public boolean isEmpty() {
        return batches.isEmpty();
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1); // version
            out.writeLong(tableId);
            out.writeBoolean(upsert);
            out.writeInt(targetColumns == null ? -1 : targetColumns.length);
            if (targetColumns != null) {
                for (int column : targetColumns) {
                    out.writeInt(column);
                }
            }
            out.writeInt(batches.size());
            for (Batch batch : batches) {
                out.writeLong(batch.partitionId());
                out.writeInt(batch.bucket());
                out.writeInt(batch.records().length);
                out.write(batch.records());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static StagedBatches fromBytes(byte[] serialized) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int version = in.readByte();
            if (version != 1) {
                throw new IllegalArgumentException("Unknown staged batches version " + version);
            }
            long tableId = in.readLong();
            boolean upsert = in.readBoolean();
            int targets = in.readInt();
            int[] targetColumns = targets < 0 ? null : new int[targets];
            for (int i = 0; i < targets; i++) {
                targetColumns[i] = in.readInt();
            }
            List<Batch> batches = new ArrayList<>();
            for (int n = in.readInt(); n > 0; n--) {
                long partitionId = in.readLong();
                int bucket = in.readInt();
                byte[] records = new byte[in.readInt()];
                in.readFully(records);
                batches.add(new Batch(partitionId, bucket, records));
            }
            return new StagedBatches(tableId, upsert, targetColumns, batches);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
