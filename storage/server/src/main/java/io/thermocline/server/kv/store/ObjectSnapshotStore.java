package io.thermocline.server.kv.store;

import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SupportsPrefixOperations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshots in an object store through Iceberg's file IO (S3FileIO for {@code s3://}): an object
 * appears whole when its upload completes, large files go up as parallel multipart uploads.
 */
final class ObjectSnapshotStore implements SnapshotStore {
    private final FileIO io;
    private final SupportsPrefixOperations prefixes;
    private final String root;

    ObjectSnapshotStore(FileIO io, String root) {
        if (!(io instanceof SupportsPrefixOperations)) {
            io.close();
            throw new IllegalArgumentException("kv.snapshot.dir " + root + ": its file IO cannot list objects");
        }
        this.io = io;
        this.prefixes = (SupportsPrefixOperations) io;
        this.root = root.endsWith("/") ? root : root + "/";
    }

    @Override
    public void upload(Path file, String key) throws IOException {
        try (InputStream in = Files.newInputStream(file);
                PositionOutputStream out = io.newOutputFile(location(key)).createOrOverwrite()) {
            in.transferTo(out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void write(String key, byte[] content) throws IOException {
        try (OutputStream out = io.newOutputFile(location(key)).createOrOverwrite()) {
            out.write(content);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public byte[] read(String key) throws IOException {
        InputFile input = io.newInputFile(location(key));
        try (InputStream in = input.newStream()) {
            return in.readAllBytes();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            if (isEmpty(input)) {
                return new byte[0];
            }
            throw new IOException(e.getMessage(), e); // NotFoundException and the SDK's errors
        }
    }

    @Override
    public void download(String key, Path target) throws IOException {
        InputFile input = io.newInputFile(location(key));
        try (InputStream in = input.newStream()) {
            Files.copy(in, target);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            if (!isEmpty(input)) {
                throw new IOException(e.getMessage(), e);
            }
            Files.deleteIfExists(target);
            Files.createFile(target);
        }
    }

    /** S3 refuses a ranged read of an empty object (416), which is how its stream reads: such a file has no bytes. */
    private static boolean isEmpty(InputFile input) {
        try {
            return input.getLength() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public List<Entry> list(String prefix) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try {
            for (FileInfo file : prefixes.listPrefix(location(prefix))) {
                if (!file.location().endsWith("/")) { // folder markers, which some stores list
                    entries.add(new Entry(file.location().substring(root.length()), file.createdAtMillis()));
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("Cannot list " + location(prefix) + ": " + e.getMessage(), e);
        }
        return entries;
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            io.deleteFile(location(key));
        } catch (RuntimeException e) {
            throw new IOException("Cannot delete " + location(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deletePrefix(String prefix) throws IOException {
        try {
            prefixes.deletePrefix(location(prefix));
        } catch (RuntimeException e) {
            throw new IOException("Cannot delete " + location(prefix) + "*: " + e.getMessage(), e);
        }
    }

    @Override
    public String location(String key) {
        return root + key;
    }

    @Override
    public void close() {
        io.close();
    }
}
