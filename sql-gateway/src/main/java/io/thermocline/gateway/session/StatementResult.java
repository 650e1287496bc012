package io.thermocline.gateway.session;

import org.apache.flink.api.common.JobID;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.RowData;

import java.util.List;
import java.util.OptionalLong;

/**
 * The result of one statement, read in pages: the rows of a query's Flink job as it produces them,
 * the rows the gateway found itself (a served query), or the few rows of a command. Not
 * thread-safe; close it to cancel a query still running.
 */
public interface StatementResult extends AutoCloseable {

    ResolvedSchema schema();

    boolean isQuery();

    /** A streaming query: rows are a changelog, and the result never ends by itself. */
    boolean isStreamingQuery();

    /** For a streaming query with a top-level LIMIT n (no ORDER BY): n, the rows after which it is complete. */
    OptionalLong streamingLimit();

    /** DML run to completion (batch) or submitted (streaming): it has a job, not a result to show. */
    boolean isDml();

    /** A statement that returns nothing (DDL, SET, USE, ...). */
    boolean isCommand();

    /** The job of a DML statement; null otherwise. */
    JobID jobId();

    /**
     * One page of rows: up to {@code maxRows}, waiting at most {@code waitMs} for the first (an
     * empty page that is not the end means none came in time).
     */
    record Page(List<RowData> rows, boolean end) {}

    Page nextPage(int maxRows, long waitMs);

    /** Flink's formatting of a row's values, as its SQL client shows them. */
    String[] format(RowData row);

    @Override
    void close();
}
