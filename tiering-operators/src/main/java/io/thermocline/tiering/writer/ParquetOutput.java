package io.thermocline.tiering.writer;

import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

import java.io.IOException;

/** An Iceberg output file (any FileIO: local, HDFS, S3) as the output file Parquet's writer takes. */
final class ParquetOutput implements OutputFile {
    private final org.apache.iceberg.io.OutputFile file;

    ParquetOutput(org.apache.iceberg.io.OutputFile file) {
        this.file = file;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        return wrap(file.create());
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return wrap(file.createOrOverwrite());
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return file.location();
    }

    private static PositionOutputStream wrap(org.apache.iceberg.io.PositionOutputStream out) {
        return new PositionOutputStream() {
            @Override
            public long getPos() throws IOException {
                return out.getPos();
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }
}
