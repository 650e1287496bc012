package io.thermocline.common.types;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A logical column type with its nullability. Immutable and thread-safe; equal types compare
 * equal, nullability included.
 *
 * <p>Types without parameters are {@link AtomicType}s; parameterized and nested types have
 * their own classes. Use {@link DataTypes} to create them.
 */
public abstract class DataType implements Serializable {
    private static final long serialVersionUID = 1L;

    private final DataTypeRoot root;
    private final boolean nullable;

    protected DataType(DataTypeRoot root, boolean nullable) {
        this.root = Objects.requireNonNull(root, "root");
        this.nullable = nullable;
    }

    public final DataTypeRoot root() {
        return root;
    }

    public final boolean isNullable() {
        return nullable;
    }

    /** This type with the given nullability. */
    public abstract DataType copy(boolean nullable);

    public final DataType notNull() {
        return copy(false);
    }

    public final DataType nullable() {
        return copy(true);
    }

    /** The directly nested types (element, key and value, or fields); empty for primitives. */
    public List<DataType> children() {
        return List.of();
    }

    /** The SQL-like name of the type without its nullability, e.g. {@code DECIMAL(10, 2)}. */
    public abstract String asSummaryString();

    @Override
    public final String toString() {
        return nullable ? asSummaryString() : asSummaryString() + " NOT NULL";
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || getClass() != o.getClass()) {
            return false;
        }
        DataType that = (DataType) o;
        return root == that.root && nullable == that.nullable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(root, nullable);
    }
}
