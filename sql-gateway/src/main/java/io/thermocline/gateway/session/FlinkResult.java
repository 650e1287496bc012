package io.thermocline.gateway.session;

import org.apache.flink.api.common.JobID;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.gateway.api.results.ResultSet;
import org.apache.flink.table.gateway.service.result.ResultFetcher;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The result of a statement Flink ran: rows of a query as its job produces them (Flink buffers a
 * bounded number; the job waits while nobody reads), or the few rows of a command.
 */
final class FlinkResult implements StatementResult {
    /** Pause between asks while a query's job has produced nothing new. */
    private static final long POLL_MS = 10;

    private final ResultFetcher fetcher;
    private final boolean streaming;
    private final OptionalLong streamingLimit;
    private Long nextToken = 0L;
    private JobID jobId;
    private ResultKind kind;
    private final List<RowData> peeked = new ArrayList<>();

    FlinkResult(ResultFetcher fetcher, boolean streaming, OptionalLong streamingLimit) {
        this.fetcher = fetcher;
        this.streaming = streaming;
        this.streamingLimit = streamingLimit;
        if (!fetcher.isQueryResult()) {
            // A command's rows are already there; its first page tells its kind and job.
            peeked.addAll(nextPage(Integer.MAX_VALUE, 0).rows());
        }
    }

    @Override
    public ResolvedSchema schema() {
        return fetcher.getResultSchema();
    }

    @Override
    public boolean isQuery() {
        return fetcher.isQueryResult();
    }

    @Override
    public boolean isStreamingQuery() {
        return streaming && isQuery();
    }

    @Override
    public OptionalLong streamingLimit() {
        return streamingLimit;
    }

    @Override
    public boolean isDml() {
        return !isQuery() && jobId != null;
    }

    @Override
    public boolean isCommand() {
        return !isQuery() && kind == ResultKind.SUCCESS;
    }

    @Override
    public JobID jobId() {
        return jobId;
    }

    @Override
    public Page nextPage(int maxRows, long waitMs) {
        if (!peeked.isEmpty()) {
            List<RowData> rows = new ArrayList<>(peeked.subList(0, Math.min(maxRows, peeked.size())));
            peeked.subList(0, rows.size()).clear();
            return new Page(rows, peeked.isEmpty() && nextToken == null);
        }
        long now = System.currentTimeMillis();
        long deadline = waitMs > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + waitMs;
        while (nextToken != null) {
            ResultSet page = fetcher.fetchResults(nextToken, maxRows);
            if (page.getResultType() == ResultSet.ResultType.EOS) {
                nextToken = null;
                return new Page(List.of(), true);
            }
            if (page.getResultType() == ResultSet.ResultType.PAYLOAD) {
                nextToken = page.getNextToken();
                jobId = jobId == null ? page.getJobID() : jobId;
                kind = kind == null ? page.getResultKind() : kind;
                if (!page.getData().isEmpty() || nextToken == null) {
                    return new Page(page.getData(), nextToken == null);
                }
            }
            if (System.currentTimeMillis() >= deadline) {
                return new Page(List.of(), false);
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Page(List.of(), false);
            }
        }
        return new Page(List.of(), true);
    }

    @Override
    public String[] format(RowData row) {
        return fetcher.getConverter().convert(row);
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
