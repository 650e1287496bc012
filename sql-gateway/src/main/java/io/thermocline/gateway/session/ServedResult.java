package io.thermocline.gateway.session;

import io.thermocline.gateway.serving.ServedStatement;

import org.apache.flink.api.common.JobID;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.utils.print.RowDataToStringConverter;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/** The rows of a query the gateway answered itself (or of its EXPLAIN), all found before the first page. */
public final class ServedResult implements StatementResult {
    private final ResolvedSchema schema;
    private final List<RowData> rows;
    private final Supplier<RowDataToStringConverter> formatter;
    private final ServedStatement query;
    private RowDataToStringConverter converter;
    private int next;

    /** @param query the query that found the rows; null for an EXPLAIN */
    ServedResult(ResolvedSchema schema, List<RowData> rows, Supplier<RowDataToStringConverter> formatter,
            ServedStatement query) {
        this.schema = schema;
        this.rows = rows;
        this.formatter = formatter;
        this.query = query;
    }

    /** The query that found the rows; null for an EXPLAIN. */
    public ServedStatement query() {
        return query;
    }

    @Override
    public ResolvedSchema schema() {
        return schema;
    }

    @Override
    public boolean isQuery() {
        return true;
    }

    @Override
    public boolean isStreamingQuery() {
        return false;
    }

    @Override
    public OptionalLong streamingLimit() {
        return OptionalLong.empty();
    }

    @Override
    public boolean isDml() {
        return false;
    }

    @Override
    public boolean isCommand() {
        return false;
    }

    @Override
    public JobID jobId() {
        return null;
    }

    @Override
    public Page nextPage(int maxRows, long waitMs) {
        int end = (int) Math.min(rows.size(), (long) next + maxRows);
        List<RowData> page = new ArrayList<>(rows.subList(next, end));
        next = end;
        return new Page(page, next == rows.size());
    }

    @Override
    public String[] format(RowData row) {
        if (converter == null) {
            converter = formatter.get();
        }
        return converter.convert(row);
    }

    @Override
    public void close() {
        next = rows.size();
    }
}
