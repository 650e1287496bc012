package io.thermocline.common.metadata;

import io.thermocline.common.exception.InvalidRequestException;

import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Pattern;

/** A table's name within its database, e.g. {@code shop.orders}. Immutable. */
public final class TablePath implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,199}");

    private final String database;
    private final String table;

    private TablePath(String database, String table) {
        this.database = database;
        this.table = table;
    }

    /** Throws {@link InvalidRequestException} naming the bad part when a name is not allowed. */
    public static TablePath of(String database, String table) {
        validateName("Database", database);
        validateName("Table", table);
        return new TablePath(database, table);
    }

    /**
     * Names are 1 to 200 characters of letters, digits, '_' and '-', not starting with '-': safe
     * as ZooKeeper node names, file names and unquoted SQL identifiers.
     */
    public static void validateName(String kind, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException(kind + " name '" + name + "' is invalid: use 1 to 200 letters, digits,"
                    + " '_' or '-', not starting with '-'");
        }
    }

    public String database() {
        return database;
    }

    public String table() {
        return table;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TablePath && database.equals(((TablePath) o).database) && table.equals(((TablePath) o).table);
    }

    @Override
    public int hashCode() {
        return Objects.hash(database, table);
    }

    @Override
    public String toString() {
        return database + "." + table;
    }
}
