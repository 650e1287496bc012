package io.thermocline.tiering;

import java.io.Serializable;

/**
 * Where a tiering round can be made to fail, for tests that prove a crash at any step loses and
 * duplicates nothing. Production jobs use {@link #NONE}.
 */
@FunctionalInterface
public interface TieringFaults extends Serializable {

    enum Point {
        /** A bucket's first batch arrived; nothing written yet. */
        BEFORE_WRITE,
        /** Every bucket's files are written; the Iceberg commit has not begun. */
        BEFORE_COMMIT,
        /** The Iceberg snapshot is committed; the coordinator has not been told. */
        AFTER_COMMIT
    }

    /** Throws to fail the round (and the job) at {@code point}. */
    void at(Point point, long tableId);

    TieringFaults NONE = (point, tableId) -> {};

    /** The failure an injector throws: it takes the job down, as a crash would. */
    final class InjectedFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InjectedFault(Point point, long tableId) {
            super("Injected tiering fault " + point + " for table id " + tableId);
        }
    }
}
