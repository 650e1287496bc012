package io.thermocline.server.kv.store;

import io.thermocline.server.utils.FileTrees;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Snapshots in a directory: each object is written beside its place, synced, then renamed into
 * it, so a crash leaves whole files or none.
 */
final class LocalSnapshotStore implements SnapshotStore {
    private static final String PARTIAL = ".partial";

    private final Path root;

    LocalSnapshotStore(Path root) {
        this.root = root;
    }

    @Override
    public void upload(Path file, String key) throws IOException {
        publish(key, part -> Files.copy(file, part, StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public void write(String key, byte[] content) throws IOException {
        publish(key, part -> Files.write(part, content));
    }

    private interface Writer {
        void write(Path part) throws IOException;
    }

    private void publish(String key, Writer writer) throws IOException {
        Path target = root.resolve(key);
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + PARTIAL);
        try {
            writer.write(part);
            force(part);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            force(target.getParent());
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** fsync of a file, or of a directory's entries. */
    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public byte[] read(String key) throws IOException {
        return Files.readAllBytes(root.resolve(key));
    }

    @Override
    public void download(String key, Path target) throws IOException {
        Files.copy(root.resolve(key), target);
    }

    @Override
    public List<Entry> list(String prefix) throws IOException {
        int slash = prefix.lastIndexOf('/');
        Path folder = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return entries;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (key.startsWith(prefix) && !key.endsWith(PARTIAL) && Files.isRegularFile(file)) {
                    try {
                        entries.add(new Entry(key, Files.getLastModifiedTime(file).toMillis()));
                    } catch (NoSuchFileException e) {
                        // deleted meanwhile
                    }
                }
            }
        } catch (java.io.UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e.getCause();
            }
        }
        return entries;
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(root.resolve(key));
    }

    @Override
    public void deletePrefix(String prefix) throws IOException {
        if (prefix.endsWith("/")) {
            FileTrees.delete(root.resolve(prefix));
        } else {
            for (Entry entry : list(prefix)) {
                delete(entry.key());
            }
        }
    }

    @Override
    public String location(String key) {
        return root.resolve(key).toString();
    }

    @Override
    public void close() {}
}
