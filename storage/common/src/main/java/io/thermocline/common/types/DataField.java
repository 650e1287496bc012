package io.thermocline.common.types;

import java.io.Serializable;
import java.util.Objects;

/** A named, typed field of a {@link RowType}; a table's columns are the fields of its row type. */
public final class DataField implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final DataType type;
    private final String description;

    public DataField(String name, DataType type, String description) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Field name must not be empty");
        }
        this.name = name;
        this.type = Objects.requireNonNull(type, "type");
        this.description = description;
    }

    public DataField(String name, DataType type) {
        this(name, type, null);
    }

    public String name() {
        return name;
    }

    public DataType type() {
        return type;
    }

    /** The field's comment, or null. */
    public String description() {
        return description;
    }

    public DataField withType(DataType newType) {
        return new DataField(name, newType, description);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DataField)) {
            return false;
        }
        DataField that = (DataField) o;
        return name.equals(that.name) && type.equals(that.type) && Objects.equals(description, that.description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, description);
    }

    @Override
    public String toString() {
        return "`" + name + "` " + type + (description == null ? "" : " COMMENT '" + description + "'");
    }
}
