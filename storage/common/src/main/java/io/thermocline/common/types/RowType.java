package io.thermocline.common.types;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** A row of named fields: a table's column list, or a nested row value. */
public final class RowType extends DataType {
    private static final long serialVersionUID = 1L;

    private final List<DataField> fields;

    public RowType(List<DataField> fields, boolean nullable) {
        super(DataTypeRoot.ROW, nullable);
        this.fields = List.copyOf(fields);
        Set<String> names = new HashSet<>();
        for (DataField field : this.fields) {
            if (!names.add(field.name())) {
                throw new IllegalArgumentException("Duplicate field name `" + field.name() + "` in " + this.fields);
            }
        }
    }

    public List<DataField> fields() {
        return fields;
    }

    public int fieldCount() {
        return fields.size();
    }

    public DataType typeAt(int index) {
        return fields.get(index).type();
    }

    public List<String> fieldNames() {
        return fields.stream().map(DataField::name).collect(Collectors.toList());
    }

    /** Index of the field with that name, or -1. */
    public int fieldIndex(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The row type of the given field indexes, in that order. */
    public RowType project(int[] indexes) {
        List<DataField> projected = new ArrayList<>(indexes.length);
        for (int index : indexes) {
            if (index < 0 || index >= fields.size()) {
                throw new IndexOutOfBoundsException(
                        "Field index " + index + " out of range for a row of " + fields.size() + " fields");
            }
            projected.add(fields.get(index));
        }
        return new RowType(projected, isNullable());
    }

    @Override
    public List<DataType> children() {
        return fields.stream().map(DataField::type).collect(Collectors.toList());
    }

    @Override
    public DataType copy(boolean nullable) {
        return new RowType(fields, nullable);
    }

    @Override
    public String asSummaryString() {
        return fields.stream().map(DataField::toString).collect(Collectors.joining(", ", "ROW<", ">"));
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && fields.equals(((RowType) o).fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), fields);
    }
}
