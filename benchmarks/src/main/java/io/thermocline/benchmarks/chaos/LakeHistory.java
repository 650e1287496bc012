package io.thermocline.benchmarks.chaos;

import io.thermocline.common.metadata.TablePath;
import io.thermocline.lake.LakeCatalog;
import io.thermocline.lake.TieredOffsets;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.hadoop.HadoopCatalog;

import java.nio.file.Path;
import java.util.List;

/**
 * What an operator's tools do to a lake table's history: a commit of their own (as a Spark
 * rewrite would make, without Thermocline's offsets), then an expiry of every older snapshot, so
 * that no snapshot left records what was tiered.
 */
final class LakeHistory {
    private LakeHistory() {}

    static void dropOffsets(Path warehouse, List<TablePath> tables) throws Exception {
        try (HadoopCatalog catalog = new HadoopCatalog(new Configuration(), warehouse.toString())) {
            for (TablePath path : tables) {
                // Tiering commits meanwhile: again until the one snapshot left is the operator's.
                for (int attempt = 0; ; attempt++) {
                    Table table = catalog.loadTable(LakeCatalog.identifier(path));
                    table.newDelete().deleteFromRowFilter(Expressions.alwaysFalse()).commit();
                    table.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
                    table.refresh();
                    if (TieredOffsets.latest(table).isEmpty()) {
                        break;
                    }
                    if (attempt == 20) {
                        throw new IllegalStateException("Tiering kept committing to " + path + " over the operator");
                    }
                }
            }
        }
    }
}
