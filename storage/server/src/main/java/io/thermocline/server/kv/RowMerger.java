package io.thermocline.server.kv;

import io.thermocline.common.config.Configuration;
import io.thermocline.common.config.TableOptions;
import io.thermocline.common.config.TableOptions.DeleteBehavior;
import io.thermocline.common.config.TableOptions.MergeEngine;
import io.thermocline.common.exception.InvalidConfigException;
import io.thermocline.common.exception.InvalidRecordException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.InternalRow;
import io.thermocline.common.schema.Schema;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.RowType;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How a primary-key table's writes combine with a key's current row: the merge engine of the
 * table ({@link TableOptions#MERGE_ENGINE}), its delete behavior, and partial updates that name
 * the columns they set. Built once per table from its schema and options, which it checks.
 */
public final class RowMerger {
    /** Aggregate functions of the AGGREGATION engine. */
    enum Function {
        SUM, MIN, MAX, COUNT, LAST_NON_NULL, FIRST_NON_NULL, LAST
    }

    private final TablePath table;
    private final RowType rowType;
    private final int[] keyIndexes;
    private final boolean[] isKey;
    private final MergeEngine engine;
    private final DeleteBehavior deleteBehavior;
    private final int versionColumn;
    private final Function[] functions;
    private final InternalRow.FieldGetter[] getters;

    private RowMerger(TablePath table, Schema schema, Configuration options) {
        this.table = table;
        this.rowType = schema.rowType();
        this.keyIndexes = schema.primaryKeyIndexes();
        this.isKey = new boolean[rowType.fieldCount()];
        for (int key : keyIndexes) {
            isKey[key] = true;
        }
        this.engine = options.get(TableOptions.MERGE_ENGINE);
        this.deleteBehavior = TableOptions.deleteBehavior(options);
        this.getters = new InternalRow.FieldGetter[rowType.fieldCount()];
        for (int i = 0; i < getters.length; i++) {
            getters[i] = InternalRow.fieldGetter(rowType.typeAt(i).nullable(), i);
        }
        String version = options.get(TableOptions.MERGE_ENGINE_VERSION_COLUMN);
        if (engine == MergeEngine.VERSIONED) {
            if (version == null || schema.column(version).isEmpty()) {
                throw new InvalidConfigException("Table " + table + ": the VERSIONED merge engine needs '"
                        + TableOptions.MERGE_ENGINE_VERSION_COLUMN.key() + "' naming a column of " + schema.columnNames()
                        + ", got " + version);
            }
            this.versionColumn = schema.columnIndex(version);
            if (!isComparable(rowType.typeAt(versionColumn))) {
                throw new InvalidConfigException("Table " + table + ": version column `" + version + "` is of type "
                        + rowType.typeAt(versionColumn) + "; it must be numeric or a timestamp");
            }
        } else {
            this.versionColumn = -1;
        }
        this.functions = new Function[rowType.fieldCount()];
        Arrays.fill(functions, Function.LAST_NON_NULL);
        for (Map.Entry<String, Function> entry : parseFunctions(table, options).entrySet()) {
            if (schema.column(entry.getKey()).isEmpty()) {
                throw new InvalidConfigException("Table " + table + ": aggregate function for `" + entry.getKey()
                        + "`, which is not a column of " + schema.columnNames());
            }
            int column = schema.columnIndex(entry.getKey());
            DataType type = rowType.typeAt(column);
            Function function = entry.getValue();
            if (isKey[column]) {
                throw new InvalidConfigException("Table " + table + ": `" + entry.getKey() + "` is a key column; it"
                        + " takes no aggregate function");
            }
            if ((function == Function.SUM && !isNumeric(type)) || ((function == Function.MIN || function == Function.MAX)
                    && !isComparable(type)) || (function == Function.COUNT && !isIntegral(type))) {
                throw new InvalidConfigException("Table " + table + ": " + function.name().toLowerCase() + " cannot"
                        + " aggregate `" + entry.getKey() + "` of type " + type);
            }
            functions[column] = function;
        }
    }

    /** The merger of a primary-key table; throws {@link InvalidConfigException} for bad merge options. */
    public static RowMerger of(TablePath table, Schema schema, Map<String, String> options) {
        return new RowMerger(table, schema, new Configuration(options));
    }

    private static Map<String, Function> parseFunctions(TablePath table, Configuration options) {
        Map<String, Function> functions = new HashMap<>();
        String text = options.get(TableOptions.MERGE_ENGINE_AGGREGATE_FUNCTIONS).trim();
        if (text.isEmpty()) {
            return functions;
        }
        for (String pair : text.split(",")) {
            String[] parts = pair.trim().split("=");
            if (parts.length != 2) {
                throw new InvalidConfigException("Table " + table + ": '" + pair + "' in '"
                        + TableOptions.MERGE_ENGINE_AGGREGATE_FUNCTIONS.key() + "' is not column=function");
            }
            try {
                functions.put(parts[0].trim(), Function.valueOf(parts[1].trim().toUpperCase()));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("Table " + table + ": unknown aggregate function '" + parts[1].trim()
                        + "'; known: " + Arrays.toString(Function.values()).toLowerCase());
            }
        }
        return functions;
    }

    public DeleteBehavior deleteBehavior() {
        return deleteBehavior;
    }

    /**
     * Checks a partial update's target columns: the key among them, and every column it leaves
     * out nullable (a new key gets nulls there). Throws {@link InvalidRecordException} naming the
     * table and column.
     */
    public void checkTargets(int[] targets) {
        boolean[] targeted = new boolean[rowType.fieldCount()];
        for (int target : targets) {
            if (target < 0 || target >= targeted.length) {
                throw new InvalidRecordException("Table " + table + ": a partial update names column " + target
                        + ", but the table has " + targeted.length);
            }
            targeted[target] = true;
        }
        for (int key : keyIndexes) {
            if (!targeted[key]) {
                throw new InvalidRecordException("Table " + table + ": a partial update must set the key column `"
                        + rowType.fieldNames().get(key) + "`");
            }
        }
        for (int i = 0; i < targeted.length; i++) {
            if (!targeted[i] && !rowType.typeAt(i).isNullable()) {
                throw new InvalidRecordException("Table " + table + ": a partial update leaves out `"
                        + rowType.fieldNames().get(i) + "`, which is NOT NULL");
            }
        }
        if (versionColumn >= 0 && !targeted[versionColumn]) {
            throw new InvalidRecordException("Table " + table + ": a partial update of a VERSIONED table must set the"
                    + " version column `" + rowType.fieldNames().get(versionColumn) + "`");
        }
    }

    /**
     * The key's row after an upsert: {@code current} (the same object) when nothing changes,
     * else a new row. {@code targets} null means all columns.
     */
    public GenericRow merge(GenericRow current, GenericRow incoming, int[] targets) {
        GenericRow merged;
        if (current == null) {
            merged = copy(incoming);
            if (engine == MergeEngine.AGGREGATION) {
                for (int i = 0; i < functions.length; i++) {
                    if (!isKey[i] && functions[i] == Function.COUNT) {
                        merged.setField(i, countOne(rowType.typeAt(i)));
                    }
                }
            }
        } else {
            switch (engine) {
                case FIRST_ROW:
                    return current;
                case VERSIONED:
                    // A row without a version never replaces one with a version; ties go to the newer write.
                    Object newVersion = getters[versionColumn].get(incoming);
                    Object oldVersion = getters[versionColumn].get(current);
                    if (oldVersion != null && (newVersion == null || compare(newVersion, oldVersion) < 0)) {
                        return current;
                    }
                    merged = copy(incoming);
                    break;
                case AGGREGATION:
                    merged = aggregate(current, incoming);
                    break;
                default:
                    merged = copy(incoming);
            }
        }
        if (targets != null) {
            boolean[] targeted = new boolean[rowType.fieldCount()];
            for (int target : targets) {
                targeted[target] = true;
            }
            for (int i = 0; i < targeted.length; i++) {
                if (!targeted[i]) {
                    merged.setField(i, current == null ? null : getters[i].get(current));
                }
            }
        }
        return merged;
    }

    /**
     * The key's row after a delete: null removes it, {@code current} keeps it (IGNORE). A partial
     * delete clears its target columns and removes the row only when nothing but the key is left.
     */
    public GenericRow delete(GenericRow current, int[] targets) {
        if (deleteBehavior == DeleteBehavior.DISABLE) {
            throw new InvalidRecordException("Table " + table + " refuses deletes (table.delete.behavior = DISABLE)");
        }
        if (current == null || deleteBehavior == DeleteBehavior.IGNORE) {
            return current;
        }
        if (targets == null) {
            return null;
        }
        GenericRow cleared = copy(current);
        for (int target : targets) {
            if (!isKey[target]) {
                cleared.setField(target, null);
            }
        }
        for (int i = 0; i < isKey.length; i++) {
            if (!isKey[i] && cleared.getField(i) != null) {
                return cleared;
            }
        }
        return null;
    }

    private GenericRow aggregate(GenericRow current, GenericRow incoming) {
        GenericRow merged = new GenericRow(rowType.fieldCount());
        for (int i = 0; i < functions.length; i++) {
            Object old = getters[i].get(current);
            Object now = getters[i].get(incoming);
            if (isKey[i]) {
                merged.setField(i, now);
                continue;
            }
            Object value;
            switch (functions[i]) {
                case SUM:
                    value = old == null ? now : now == null ? old : add(old, now);
                    break;
                case MIN:
                    value = old == null ? now : now == null ? old : compare(now, old) < 0 ? now : old;
                    break;
                case MAX:
                    value = old == null ? now : now == null ? old : compare(now, old) > 0 ? now : old;
                    break;
                case COUNT:
                    value = add(old == null ? countOne(rowType.typeAt(i)) : old, countOne(rowType.typeAt(i)));
                    break;
                case FIRST_NON_NULL:
                    value = old != null ? old : now;
                    break;
                case LAST:
                    value = now;
                    break;
                default:
                    value = now != null ? now : old;
            }
            merged.setField(i, value);
        }
        return merged;
    }

    private GenericRow copy(InternalRow row) {
        GenericRow copy = new GenericRow(rowType.fieldCount());
        for (int i = 0; i < getters.length; i++) {
            copy.setField(i, getters[i].get(row));
        }
        return copy;
    }

    private static Object countOne(DataType type) {
        switch (type.root()) {
            case TINYINT:
                return (byte) 1;
            case SMALLINT:
                return (short) 1;
            case INTEGER:
                return 1;
            default:
                return 1L;
        }
    }

    private static Object add(Object a, Object b) {
        if (a instanceof Byte) {
            return (byte) ((Byte) a + (Byte) b);
        }
        if (a instanceof Short) {
            return (short) ((Short) a + (Short) b);
        }
        if (a instanceof Integer) {
            return (Integer) a + (Integer) b;
        }
        if (a instanceof Long) {
            return (Long) a + (Long) b;
        }
        if (a instanceof Float) {
            return (Float) a + (Float) b;
        }
        if (a instanceof Double) {
            return (Double) a + (Double) b;
        }
        return ((BigDecimal) a).add((BigDecimal) b);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    private static boolean isIntegral(DataType type) {
        switch (type.root()) {
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return true;
            default:
                return false;
        }
    }

    private static boolean isNumeric(DataType type) {
        switch (type.root()) {
            case FLOAT:
            case DOUBLE:
            case DECIMAL:
                return true;
            default:
                return isIntegral(type);
        }
    }

    private static boolean isComparable(DataType type) {
        switch (type.root()) {
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
            case STRING:
                return true;
            default:
                return isNumeric(type);
        }
    }
}
