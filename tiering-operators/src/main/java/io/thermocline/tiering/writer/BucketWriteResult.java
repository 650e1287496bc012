package io.thermocline.tiering.writer;

import io.thermocline.tiering.source.RoundInfo;

import org.apache.iceberg.ContentFile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the lake writer tells the committer about one bucket of a round: the files it wrote
 * (Iceberg's own serializable descriptions) and the offset the bucket is tiered to with them.
 * A Flink POJO.
 */
public final class BucketWriteResult {
    public RoundInfo round;
    public long partitionId;
    public int bucket;
    public long endOffset;
    /** Java-serialized {@code List<ContentFile<?>>}: data files, then delete files. */
    public byte[] files;

    public BucketWriteResult() {}

    public BucketWriteResult(RoundInfo round, long partitionId, int bucket, long endOffset, BucketTierWriter.Result result) {
        this.round = round;
        this.partitionId = partitionId;
        this.bucket = bucket;
        this.endOffset = endOffset;
        List<ContentFile<?>> all = new ArrayList<>(result.dataFiles());
        all.addAll(result.deleteFiles());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.files = bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    public List<ContentFile<?>> files() {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(files))) {
            return (List<ContentFile<?>>) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("Cannot read the files of bucket " + bucket + " in round " + round.epoch, e);
        }
    }
}
