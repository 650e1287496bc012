package io.thermocline.tiering.source;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;

/**
 * The tiering job's source: an unbounded stream of tiering rounds taken from the coordinator's
 * queue, each split into one split per bucket with rows to tier.
 */
public final class TieringSource implements Source<TieringRecord, TieringSplit, Void> {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> conf;
    private final String jobId;

    /** @param conf client options (bootstrap.servers, ...), lake catalog options and tiering options */
    public TieringSource(Map<String, String> conf, String jobId) {
        this.conf = Map.copyOf(conf);
        this.jobId = jobId;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<TieringRecord, TieringSplit> createReader(SourceReaderContext readerContext) {
        return new TieringSourceReader(readerContext, conf);
    }

    @Override
    public SplitEnumerator<TieringSplit, Void> createEnumerator(SplitEnumeratorContext<TieringSplit> enumContext) {
        return new TieringEnumerator(enumContext, conf, jobId);
    }

    @Override
    public SplitEnumerator<TieringSplit, Void> restoreEnumerator(SplitEnumeratorContext<TieringSplit> enumContext,
            Void checkpoint) {
        return new TieringEnumerator(enumContext, conf, jobId);
    }

    @Override
    public SimpleVersionedSerializer<TieringSplit> getSplitSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(TieringSplit split) throws IOException {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                    out.writeObject(split);
                }
                return bytes.toByteArray();
            }

            @Override
            public TieringSplit deserialize(int version, byte[] serialized) throws IOException {
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized))) {
                    return (TieringSplit) in.readObject();
                } catch (ClassNotFoundException e) {
                    throw new IOException(e);
                }
            }
        };
    }

    @Override
    public SimpleVersionedSerializer<Void> getEnumeratorCheckpointSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Void state) {
                return new byte[0];
            }

            @Override
            public Void deserialize(int version, byte[] serialized) {
                return null;
            }
        };
    }
}
