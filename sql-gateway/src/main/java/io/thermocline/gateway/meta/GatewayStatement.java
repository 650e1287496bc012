package io.thermocline.gateway.meta;

import io.thermocline.gateway.serving.PreparedServing;
import io.thermocline.gateway.session.StatementResult;

import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.Meta;
import org.apache.flink.table.data.RowData;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One JDBC statement of a connection: its prepared SQL (if prepared) and the result being read.
 * Guarded by its connection's lock.
 */
final class GatewayStatement implements AutoCloseable {
    final int id;
    /** The prepared SQL and its parameter markers; null for a plain statement. */
    String preparedSql;
    List<Integer> markers = List.of();
    /** How its markers look to JDBC, made once at prepare time. */
    List<AvaticaParameter> parameters = List.of();
    /** What its executions taught of its plan (prepared statements only). */
    final PreparedServing serving = new PreparedServing();

    private StatementResult result;
    private Function<RowData, List<Object>> converter;
    private long offset;
    private long remaining;
    private long waitMs;

    GatewayStatement(int id) {
        this.id = id;
    }

    /** Reads {@code result} from now on; {@code maxRows} of 0 or less reads all of it. */
    void attach(StatementResult result, Function<RowData, List<Object>> converter, long maxRows, long waitMs) {
        closeResult();
        this.result = result;
        this.converter = converter;
        this.offset = 0;
        this.remaining = maxRows > 0 ? maxRows : Long.MAX_VALUE;
        this.waitMs = waitMs;
    }

    boolean hasResult() {
        return result != null;
    }

    /** The next frame of at most {@code maxRows} rows; the last one closes the result (ending a query's job). */
    Meta.Frame nextFrame(int maxRows) {
        StatementResult.Page page = result.nextPage((int) Math.min(maxRows, remaining), waitMs);
        List<Object> rows = new ArrayList<>(page.rows().size());
        for (RowData row : page.rows()) {
            rows.add(converter.apply(row));
        }
        Meta.Frame frame = new Meta.Frame(offset, false, rows);
        offset += rows.size();
        remaining -= rows.size();
        if (page.end() || remaining <= 0) {
            closeResult();
            return new Meta.Frame(frame.offset, true, rows);
        }
        return frame;
    }

    void closeResult() {
        if (result != null) {
            result.close();
            result = null;
        }
    }

    @Override
    public void close() {
        closeResult();
    }
}
