package io.thermocline.flink.table;

import java.util.Optional;

/** A planned Thermocline table source that can say what it would read (see {@link ServableRead}, {@link ServableScan}). */
public interface ServableSource {

    /**
     * What this source reads, when it is a bounded read of a primary-key table's current rows with
     * no limit and no metadata columns; empty otherwise.
     */
    Optional<ServableRead> servableRead();

    /**
     * What this source reads, when it is a bounded read of a log table without partitions or a
     * changelog view; empty otherwise.
     */
    Optional<ServableScan> servableScan();
}
