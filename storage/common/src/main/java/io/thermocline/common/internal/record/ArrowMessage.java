package io.thermocline.common.internal.record;

import static io.thermocline.common.internal.record.LogRecordBatchFormat.ARROW_CONTINUATION;
import static io.thermocline.common.internal.record.LogRecordBatchFormat.ARROW_PREFIX_SIZE;

import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The parsed metadata of the Arrow IPC message inside a batch, and where its body lies. */
final class ArrowMessage {
    final Message message;
    final RecordBatch recordBatch;
    /** Body start, relative to the start of the Arrow message. */
    final int bodyOffset;
    final long bodyLength;

    private ArrowMessage(Message message, RecordBatch recordBatch, int bodyOffset) {
        this.message = message;
        this.recordBatch = recordBatch;
        this.bodyOffset = bodyOffset;
        this.bodyLength = message.bodyLength();
    }

    /**
     * Parses the message whose prefix starts at {@code position} of {@code buffer}, which must hold
     * at least the prefix and the metadata.
     */
    static ArrowMessage parse(ByteBuffer buffer, int position) {
        ByteBuffer le = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (le.getInt(position) != ARROW_CONTINUATION) {
            throw new IllegalArgumentException("No Arrow continuation marker at byte " + position);
        }
        int metadataSize = le.getInt(position + 4);
        ByteBuffer metadata = le.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        metadata.limit(position + ARROW_PREFIX_SIZE + metadataSize).position(position + ARROW_PREFIX_SIZE);
        Message message = Message.getRootAsMessage(metadata.slice().order(ByteOrder.LITTLE_ENDIAN));
        if (message.headerType() != MessageHeader.RecordBatch) {
            throw new IllegalArgumentException("Arrow message is not a record batch but type " + message.headerType());
        }
        RecordBatch recordBatch = (RecordBatch) message.header(new RecordBatch());
        return new ArrowMessage(message, recordBatch, ARROW_PREFIX_SIZE + metadataSize);
    }
}
