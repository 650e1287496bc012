package io.thermocline.common.schema;

import io.thermocline.common.exception.SchemaException;
import io.thermocline.common.types.DataField;
import io.thermocline.common.types.DataType;
import io.thermocline.common.types.RowType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A table's columns and optional primary key, versioned by a schema id. Immutable.
 *
 * <p>Every log batch names the schema id it was written with, never the schema itself; readers
 * look the schema up by id. Ids grow by one with each change: {@link #addColumn} is the change
 * that is supported end to end, because old batches read under the new schema simply yield null
 * for the new column (see {@link SchemaLookup} and the readers that adapt batches).
 *
 * <p>Primary-key columns are always NOT NULL and must have primitive types.
 */
public final class Schema implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The id of a table's first schema. */
    public static final int INITIAL_SCHEMA_ID = 1;

    private final int schemaId;
    private final RowType rowType;
    private final List<String> primaryKey;

    private Schema(int schemaId, RowType rowType, List<String> primaryKey) {
        this.schemaId = schemaId;
        this.rowType = rowType;
        this.primaryKey = List.copyOf(primaryKey);
    }

    public static Builder builder() {
        return new Builder();
    }

    public int schemaId() {
        return schemaId;
    }

    public RowType rowType() {
        return rowType;
    }

    public List<DataField> columns() {
        return rowType.fields();
    }

    public int columnCount() {
        return rowType.fieldCount();
    }

    public List<String> columnNames() {
        return rowType.fieldNames();
    }

    /** The primary key's column names in key order; empty for a log table. */
    public List<String> primaryKey() {
        return primaryKey;
    }

    public boolean hasPrimaryKey() {
        return !primaryKey.isEmpty();
    }

    /** Indexes of the primary-key columns in key order. */
    public int[] primaryKeyIndexes() {
        return primaryKey.stream().mapToInt(rowType::fieldIndex).toArray();
    }

    public Optional<DataField> column(String name) {
        int index = rowType.fieldIndex(name);
        return index < 0 ? Optional.empty() : Optional.of(rowType.fields().get(index));
    }

    /** Index of the named column; throws {@link SchemaException} naming it when absent. */
    public int columnIndex(String name) {
        int index = rowType.fieldIndex(name);
        if (index < 0) {
            throw new SchemaException("Column `" + name + "` does not exist in schema " + schemaId + ": " + columnNames());
        }
        return index;
    }

    /** The next version of this schema with a nullable column added at the end. */
    public Schema addColumn(String name, DataType type, String comment) {
        return addColumns(List.of(new DataField(name, type, comment)));
    }

    /**
     * The next version of this schema with nullable columns added at the end, in order. Only
     * additions at the end keep every older batch and value readable: its columns are a prefix.
     */
    public Schema addColumns(List<DataField> added) {
        if (added.isEmpty()) {
            throw new SchemaException("No column to add to schema " + schemaId);
        }
        List<DataField> fields = new ArrayList<>(rowType.fields());
        for (DataField field : added) {
            if (!field.type().isNullable()) {
                throw new SchemaException("Column `" + field.name() + "` must be nullable to be added to an existing"
                        + " table: rows written before have no value for it");
            }
            if (rowType.fieldIndex(field.name()) >= 0) {
                throw new SchemaException("Column `" + field.name() + "` already exists in schema " + schemaId + ": "
                        + columnNames());
            }
            fields.add(field);
        }
        return new Builder().fromFields(fields).primaryKey(primaryKey).schemaId(schemaId + 1).build();
    }

    public Schema withSchemaId(int newSchemaId) {
        return new Schema(newSchemaId, rowType, primaryKey);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Schema)) {
            return false;
        }
        Schema that = (Schema) o;
        return schemaId == that.schemaId && rowType.equals(that.rowType) && primaryKey.equals(that.primaryKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schemaId, rowType, primaryKey);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Schema ").append(schemaId).append(" (");
        for (int i = 0; i < rowType.fieldCount(); i++) {
            sb.append(i == 0 ? "" : ", ").append(rowType.fields().get(i));
        }
        if (hasPrimaryKey()) {
            sb.append(", PRIMARY KEY (").append(String.join(", ", primaryKey)).append(')');
        }
        return sb.append(')').toString();
    }

    /** Builds a validated {@link Schema}. */
    public static final class Builder {
        private final List<DataField> fields = new ArrayList<>();
        private final List<String> primaryKey = new ArrayList<>();
        private int schemaId = INITIAL_SCHEMA_ID;

        private Builder() {}

        public Builder column(String name, DataType type) {
            fields.add(new DataField(name, type));
            return this;
        }

        public Builder column(String name, DataType type, String comment) {
            fields.add(new DataField(name, type, comment));
            return this;
        }

        public Builder fromFields(List<DataField> columns) {
            fields.addAll(columns);
            return this;
        }

        public Builder primaryKey(String... columnNames) {
            return primaryKey(List.of(columnNames));
        }

        public Builder primaryKey(List<String> columnNames) {
            primaryKey.clear();
            primaryKey.addAll(columnNames);
            return this;
        }

        public Builder schemaId(int id) {
            this.schemaId = id;
            return this;
        }

        /** Validates and builds; throws {@link SchemaException} naming the offending column. */
        public Schema build() {
            if (fields.isEmpty()) {
                throw new SchemaException("A schema needs at least one column");
            }
            if (schemaId < 0) {
                throw new SchemaException("Schema id must not be negative, got " + schemaId);
            }
            Set<String> names = new HashSet<>();
            for (DataField field : fields) {
                if (!names.add(field.name())) {
                    throw new SchemaException("Column `" + field.name() + "` is defined twice");
                }
            }
            Set<String> keySeen = new HashSet<>();
            List<DataField> resolved = new ArrayList<>(fields);
            for (String keyColumn : primaryKey) {
                if (!keySeen.add(keyColumn)) {
                    throw new SchemaException("Primary key column `" + keyColumn + "` is listed twice");
                }
                int index = indexOf(resolved, keyColumn);
                if (index < 0) {
                    throw new SchemaException(
                            "Primary key column `" + keyColumn + "` is not a column of the schema: " + names);
                }
                DataField field = resolved.get(index);
                if (!field.type().root().isPrimitive()) {
                    throw new SchemaException(
                            "Primary key column `" + keyColumn + "` has type " + field.type()
                                    + ", but key columns must have a primitive type");
                }
                // Keys are never null, so key columns are NOT NULL whatever was declared.
                resolved.set(index, field.withType(field.type().notNull()));
            }
            return new Schema(schemaId, new RowType(resolved, false), primaryKey);
        }

        private static int indexOf(List<DataField> fields, String name) {
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
