package io.thermocline.common.internal.record;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Random access to the bytes of one batch, in memory or in a file, so that projection reads only
 * the header, the Arrow metadata and the chosen columns' buffers.
 */
public interface ByteSource {

    /** Batch size in bytes. */
    int size();

    /** Fills {@code dst} from its position to its limit with the bytes at {@code position}. */
    void readFully(int position, ByteBuffer dst) throws IOException;

    static ByteSource of(LogRecordBatch batch) {
        ByteBuffer bytes = batch.buffer();
        int start = bytes.position();
        int size = bytes.remaining();
        return new ByteSource() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public void readFully(int position, ByteBuffer dst) {
                ByteBuffer src = bytes.duplicate();
                src.position(start + position).limit(start + position + dst.remaining());
                dst.put(src);
            }
        };
    }
}
