package io.thermocline.flink.source;

import io.thermocline.lake.LakeTableLayout;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;
import org.apache.iceberg.data.Record;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a read can tell about each row beyond its columns, as Flink metadata columns
 * ({@code ts TIMESTAMP_LTZ(3) METADATA FROM 'commit_timestamp'}): its commit time, its log offset
 * and its bucket. Lake rows carry the same from the lake's system columns.
 */
public final class RowMetadata {
    public static final String COMMIT_TIMESTAMP = "commit_timestamp";
    public static final String OFFSET = "offset";
    public static final String BUCKET = "bucket";

    /** The readable metadata and their types. */
    public static final Map<String, DataType> KEYS = keys();

    private RowMetadata() {}

    private static Map<String, DataType> keys() {
        Map<String, DataType> keys = new LinkedHashMap<>();
        keys.put(COMMIT_TIMESTAMP, DataTypes.TIMESTAMP_LTZ(3).notNull());
        keys.put(OFFSET, DataTypes.BIGINT().notNull());
        keys.put(BUCKET, DataTypes.INT().notNull());
        return java.util.Collections.unmodifiableMap(keys);
    }

    /** The row with the wanted metadata appended, in the order of {@code keys}. */
    public static GenericRowData append(GenericRowData row, List<String> keys, long commitTimestamp, long offset, int bucket) {
        GenericRowData out = new GenericRowData(row.getRowKind(), row.getArity() + keys.size());
        for (int i = 0; i < row.getArity(); i++) {
            out.setField(i, row.getField(i));
        }
        for (int i = 0; i < keys.size(); i++) {
            Object value;
            switch (keys.get(i)) {
                case COMMIT_TIMESTAMP:
                    value = TimestampData.fromEpochMillis(commitTimestamp);
                    break;
                case OFFSET:
                    value = offset;
                    break;
                default:
                    value = bucket;
            }
            out.setField(row.getArity() + i, value);
        }
        return out;
    }

    /** A lake row with the wanted metadata from the lake's system columns. */
    static GenericRowData append(GenericRowData row, List<String> keys, Record record) {
        OffsetDateTime timestamp = (OffsetDateTime) record.getField(LakeTableLayout.TIMESTAMP_COLUMN);
        return append(row, keys, timestamp.toInstant().toEpochMilli(),
                (Long) record.getField(LakeTableLayout.OFFSET_COLUMN),
                (Integer) record.getField(LakeTableLayout.BUCKET_COLUMN));
    }
}
