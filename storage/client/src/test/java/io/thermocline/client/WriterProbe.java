package io.thermocline.client;

import io.thermocline.client.api.AppendWriter;
import io.thermocline.client.api.Connection;
import io.thermocline.client.api.ConnectionFactory;
import io.thermocline.common.config.Configuration;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.row.GenericRow;

import java.util.Map;

/**
 * A client process for {@link WriterFailureITCase}: appends one row to {@code args[1]}.{@code args[2]}
 * and flushes, printing what the write and the flush answered.
 */
public final class WriterProbe {
    private WriterProbe() {}

    public static void main(String[] args) throws Exception {
        try (Connection connection = ConnectionFactory.create(new Configuration(Map.of("bootstrap.servers", args[0])));
                AppendWriter writer = connection.table(TablePath.of(args[1], args[2])).newAppendWriter()) {
            var written = writer.append(GenericRow.of(1L, "probe"));
            try {
                writer.flush();
                System.out.println("flushed");
            } catch (RuntimeException e) {
                System.out.println("flush failed: " + e.getMessage());
            }
            written.handle((result, error) -> {
                System.out.println(error == null ? "appended" : "append failed: " + error.getMessage());
                return null;
            }).join();
        }
        System.exit(0); // the writer's threads are not what this probe waits for
    }
}
