package io.thermocline.server.kv.store;

import io.thermocline.common.config.Configuration;
import io.thermocline.lake.LakeFileIO;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where KV snapshots live, named by keys of {@code /}-separated parts: a directory every tablet
 * server reaches (a shared volume), or an object store ({@code s3://bucket/prefix}). Every write
 * is whole and durable when it returns; a key is never seen half written.
 */
public interface SnapshotStore extends AutoCloseable {
    /** A stored object: its key and when it was last written. */
    record Entry(String key, long modifiedMillis) {}

    /** Stores a local file as {@code key}, replacing what was there. */
    void upload(Path file, String key) throws IOException;

    /** Stores {@code content} as {@code key}, replacing what was there. */
    void write(String key, byte[] content) throws IOException;

    byte[] read(String key) throws IOException;

    /** Copies {@code key} to a new local file. */
    void download(String key, Path target) throws IOException;

    /** Every object whose key starts with {@code prefix} (a folder ends with {@code /}). */
    List<Entry> list(String prefix) throws IOException;

    /** Deletes an object; one that is gone already is fine. */
    void delete(String key) throws IOException;

    /** Deletes every object whose key starts with {@code prefix}. */
    void deletePrefix(String prefix) throws IOException;

    /** Where {@code key} is, for messages. */
    String location(String key);

    @Override
    void close();

    /**
     * The store of {@code kv.snapshot.dir}: a path, or an object-store URI reached through the
     * lake's file IO and its {@code lake.catalog.s3.*} settings.
     */
    static SnapshotStore open(String location, Configuration conf) {
        String scheme = LakeFileIO.scheme(location);
        if (scheme.isEmpty() || scheme.equals("file")) {
            return new LocalSnapshotStore(Path.of(scheme.isEmpty() ? location : location.substring("file://".length())));
        }
        return new ObjectSnapshotStore(LakeFileIO.open(conf.toMap(), location), location);
    }
}
