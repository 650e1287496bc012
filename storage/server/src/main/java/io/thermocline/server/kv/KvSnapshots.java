package io.thermocline.server.kv;

import io.thermocline.common.exception.ThermoclineStorageException;
import io.thermocline.common.metadata.TableBucket;

import io.thermocline.server.utils.FileTrees;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The KV snapshots of one bucket in a directory every tablet server can reach (the cluster's
 * {@code kv.snapshot.dir}): incremental RocksDB checkpoints, each with the log offset it holds
 * everything before. SST files are immutable and shared between snapshots under
 * {@code sst/<db identity>-<name>}, so a snapshot copies only the files the previous one lacks; a
 * snapshot directory {@code snap-<offset>} holds the rest and a {@code files} list, written last,
 * that makes it complete. A new leader restores the latest snapshot and replays the changelog
 * from its offset, so log retention may drop what lies before the oldest snapshot kept.
 */
public final class KvSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(KvSnapshots.class);
    private static final String FILES = "files";
    private static final long UPLOAD_GRACE_MS = 10 * 60_000L;

    private final Path dir;
    private final TableBucket bucket;
    private final int retained;

    /** A complete snapshot: the log offset it covers and its directory. */
    public record Snapshot(long offset, Path dir) {}

    public KvSnapshots(Path root, TableBucket bucket, int retained) {
        Path table = root.resolve("table-" + bucket.tableId());
        Path owner = bucket.isPartitioned() ? table.resolve("partition-" + bucket.partitionId()) : table;
        this.dir = owner.resolve("bucket-" + bucket.bucket());
        this.bucket = bucket;
        this.retained = retained;
    }

    /**
     * Uploads a local checkpoint taken at {@code offset}: new SST files into the shared folder,
     * the other files into the snapshot's directory, then the list that completes it. Older
     * snapshots beyond the retained count, and SST files no snapshot lists, are deleted.
     */
    public Snapshot upload(Path checkpoint, long offset) {
        try {
            Files.createDirectories(dir.resolve("sst"));
            String identity = Files.readString(checkpoint.resolve("IDENTITY"), StandardCharsets.UTF_8).trim();
            Path target = dir.resolve(String.format("snap-%020d", offset));
            if (Files.exists(target.resolve(FILES))) {
                return new Snapshot(offset, target); // nothing new since the last one
            }
            // Each upload stages apart: two leaders (an old one not yet told) may upload the same offset at once.
            String upload = UUID.randomUUID().toString();
            Path staging = dir.resolve(target.getFileName() + "." + upload + ".tmp");
            Files.createDirectories(staging);
            try {
                List<String> lines = new ArrayList<>();
                try (Stream<Path> files = Files.list(checkpoint)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        String name = file.getFileName().toString();
                        if (name.endsWith(".sst")) {
                            String shared = identity + "-" + name;
                            Path sharedFile = dir.resolve("sst").resolve(shared);
                            if (!Files.exists(sharedFile)) {
                                Path part = sharedFile.resolveSibling(shared + "." + upload + ".tmp");
                                copyDurably(file, part);
                                Files.move(part, sharedFile, StandardCopyOption.ATOMIC_MOVE);
                            }
                            lines.add(name + " " + shared);
                        } else {
                            copyDurably(file, staging.resolve(name));
                        }
                    }
                }
                Files.write(staging.resolve(FILES), lines, StandardCharsets.UTF_8);
                force(staging.resolve(FILES));
                force(staging);
                force(dir.resolve("sst"));
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    if (!Files.exists(target.resolve(FILES))) {
                        throw e;
                    }
                    // another upload of this offset published first: the same state, theirs stays
                }
                force(dir);
            } finally {
                FileTrees.delete(staging);
            }
            Snapshot snapshot = new Snapshot(offset, target);
            prune();
            return snapshot;
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot upload a KV snapshot of " + bucket + " to " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private static void copyDurably(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        force(to);
    }

    /** fsync of a file, or of a directory's entries. */
    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Complete snapshots, oldest first. */
    public List<Snapshot> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().matches("snap-\\d{20}"))
                    .filter(p -> Files.exists(p.resolve(FILES)))
                    .map(p -> new Snapshot(Long.parseLong(p.getFileName().toString().substring(5)), p))
                    .sorted(Comparator.comparingLong(Snapshot::offset))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot list the KV snapshots of " + bucket + " in " + dir, e);
        }
    }

    public Optional<Snapshot> latest() {
        List<Snapshot> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The log offset retention must keep from: that of the oldest snapshot kept, 0 when there is none. */
    public long oldestOffset() {
        List<Snapshot> all = list();
        return all.isEmpty() ? 0 : all.get(0).offset();
    }

    /**
     * Rebuilds a RocksDB directory ({@code target}, which must not exist) from the newest snapshot
     * at or below {@code logEnd}, falling back to older ones when one cannot be read. Empty when
     * there is none; throws when every one failed.
     */
    public Optional<Snapshot> restoreNewest(long logEnd, Path target) {
        List<Snapshot> candidates = new ArrayList<>(list());
        candidates.removeIf(snapshot -> snapshot.offset() > logEnd);
        Collections.reverse(candidates);
        ThermoclineStorageException failure = null;
        for (Snapshot snapshot : candidates) {
            try {
                restore(snapshot, target);
                return Optional.of(snapshot);
            } catch (ThermoclineStorageException e) {
                LOG.warn("{}: the KV snapshot at offset {} cannot be restored; trying an older one", bucket,
                        snapshot.offset(), e);
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return Optional.empty();
    }

    /**
     * Deletes the snapshots above {@code logEnd}. A new leader's log holds every committed offset,
     * and snapshots are only ever taken of committed state: one beyond its log end belongs to a
     * history an unclean election gave up, and must never be restored.
     */
    public void discardAbove(long logEnd) {
        for (Snapshot snapshot : list()) {
            if (snapshot.offset() > logEnd) {
                LOG.warn("{}: discarding the KV snapshot at offset {}, beyond the log end {} of the new leader", bucket,
                        snapshot.offset(), logEnd);
                try {
                    FileTrees.delete(snapshot.dir());
                } catch (IOException e) {
                    throw new ThermoclineStorageException("Cannot discard the KV snapshot " + snapshot.dir() + " of "
                            + bucket + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Rebuilds a RocksDB directory from a snapshot; {@code target} must not exist. */
    public void restore(Snapshot snapshot, Path target) {
        try {
            Path staging = target.resolveSibling(target.getFileName() + ".restoring");
            FileTrees.delete(staging);
            Files.createDirectories(staging);
            try (Stream<Path> files = Files.list(snapshot.dir())) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (!file.getFileName().toString().equals(FILES)) {
                        Files.copy(file, staging.resolve(file.getFileName()));
                    }
                }
            }
            for (String line : Files.readAllLines(snapshot.dir().resolve(FILES), StandardCharsets.UTF_8)) {
                String[] names = line.split(" ");
                Files.copy(dir.resolve("sst").resolve(names[1]), staging.resolve(names[0]));
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("{}: restored the KV snapshot at offset {}", bucket, snapshot.offset());
        } catch (IOException | RuntimeException e) {
            try {
                FileTrees.delete(target.resolveSibling(target.getFileName() + ".restoring"));
            } catch (IOException ignored) {
                // the next restore deletes it first
            }
            throw new ThermoclineStorageException("Cannot restore the KV snapshot " + snapshot.dir() + " of " + bucket
                    + ": " + e.getMessage(), e);
        }
    }

    private void prune() throws IOException {
        List<Snapshot> all = list();
        for (Snapshot old : all.subList(0, Math.max(0, all.size() - retained))) {
            FileTrees.delete(old.dir());
        }
        Set<String> referenced = new HashSet<>();
        for (Snapshot kept : list()) {
            for (String line : Files.readAllLines(kept.dir().resolve(FILES), StandardCharsets.UTF_8)) {
                referenced.add(line.split(" ")[1]);
            }
        }
        // Recent files may belong to a snapshot still uploading (a leader that just took over).
        long cutoff = System.currentTimeMillis() - UPLOAD_GRACE_MS;
        try (Stream<Path> files = Files.list(dir.resolve("sst"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!referenced.contains(file.getFileName().toString())
                        && Files.getLastModifiedTime(file).toMillis() < cutoff) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
