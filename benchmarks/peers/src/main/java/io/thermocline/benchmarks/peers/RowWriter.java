package io.thermocline.benchmarks.peers;

/**
 * A system's writer as the scenarios that time rows see it: the benchmark row of an index, with a
 * value of the scenario's in column 0 (a send time, a write time), and the final flush.
 */
public interface RowWriter {
    void write(long index, long firstLong) throws Exception;

    void flush() throws Exception;
}
