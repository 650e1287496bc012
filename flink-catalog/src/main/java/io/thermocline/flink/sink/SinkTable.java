package io.thermocline.flink.sink;

import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.types.RowType;
import io.thermocline.flink.RowConverter;

import org.apache.flink.table.data.RowData;

import java.io.Serializable;
import java.util.Map;

/**
 * The table a sink writes: how to reach it, its columns, whether it has a primary key, and the
 * columns a partial update sets (null for whole rows).
 */
record SinkTable(Map<String, String> clientOptions, TablePath path, RowType rowType, boolean primaryKey,
        String[] targetColumns) implements Serializable {

    SinkTable {
        clientOptions = Map.copyOf(clientOptions);
    }

    Connection connect() {
        return ConnectionFactory.create(new Configuration(clientOptions));
    }

    /** What a sink does with Flink rows: +I and +U write (append or upsert), -D deletes. */
    interface Writes {
        void write(GenericRow row);

        void delete(GenericRow row);
    }

    /** Routes a Flink row by its kind; -U is implied by the +U that follows it. */
    void route(RowData row, RowConverter converter, Writes writes) {
        switch (row.getRowKind()) {
            case INSERT:
            case UPDATE_AFTER:
                writes.write(converter.toThermocline(row));
                break;
            case DELETE:
                if (!primaryKey) {
                    throw new IllegalArgumentException("Table " + path + " is a log table: it takes no deletes");
                }
                writes.delete(converter.toThermocline(row));
                break;
            default:
                break;
        }
    }
}
