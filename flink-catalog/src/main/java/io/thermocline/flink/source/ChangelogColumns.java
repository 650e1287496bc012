package io.thermocline.flink.source;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The columns a table's changelog view puts in front of the table's: change type, log offset, commit time. */
public final class ChangelogColumns {
    /** The columns and their types, in order. */
    public static final Map<String, DataType> COLUMNS = columns();

    private ChangelogColumns() {}

    private static Map<String, DataType> columns() {
        Map<String, DataType> columns = new LinkedHashMap<>();
        columns.put("_change_type", DataTypes.STRING().notNull());
        columns.put("_log_offset", DataTypes.BIGINT().notNull());
        columns.put("_commit_timestamp", DataTypes.TIMESTAMP_LTZ(3).notNull());
        return Collections.unmodifiableMap(columns);
    }
}
