package io.thermocline.gateway.serving;

import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.RowData;

import java.util.List;

/** A query the gateway answers itself, planned by Flink: key lookups ({@link ServedQuery}) or a short read ({@link ServedScan}). */
public interface ServedStatement {

    /** The result's columns, as Flink resolved them. */
    ResolvedSchema schema();

    /**
     * Reads the rows.
     *
     * @throws NotServedException when it turns out, at the read, that only a Flink job gives the answer
     */
    List<RowData> execute(ServingClient client);

    /** What EXPLAIN shows. */
    String describe();
}
