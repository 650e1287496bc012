package io.thermocline.server.kv;

import io.thermocline.common.exception.ThermoclineStorageException;
import io.thermocline.common.metadata.TableBucket;

import io.thermocline.server.kv.store.SnapshotStore;
import io.thermocline.server.utils.FileTrees;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The KV snapshots of one bucket in the cluster's snapshot store ({@code kv.snapshot.dir}: a
 * shared directory or an object store): incremental RocksDB checkpoints, each with the log offset
 * it holds everything before. SST files are immutable and shared between snapshots under
 * {@code sst/<db identity>-<name>}, so a snapshot uploads only the files the previous one lacks;
 * a snapshot's folder {@code snap-<offset>-<upload>/} holds the rest and a {@code files} list,
 * written last, that makes it complete. Files move in parallel on the given executor. A new
 * leader restores the latest snapshot and replays the changelog from its offset, so log retention
 * may drop what lies before the oldest snapshot kept.
 */
public final class KvSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(KvSnapshots.class);
    private static final String FILES = "files";
    private static final long UPLOAD_GRACE_MS = 10 * 60_000L;
    /** A snapshot's folder: its offset, and the upload that wrote it (two leaders may upload one offset at once). */
    private static final Pattern SNAPSHOT = Pattern.compile("snap-(\\d{20})(-[0-9a-f-]+)?/");

    private final SnapshotStore store;
    private final String dir;
    private final TableBucket bucket;
    private final int retained;
    private final Executor io;

    /** A complete snapshot: the log offset it covers and its folder's key. */
    public record Snapshot(long offset, String folder) {}

    public KvSnapshots(SnapshotStore store, TableBucket bucket, int retained, Executor io) {
        String table = "table-" + bucket.tableId() + "/";
        this.dir = (bucket.isPartitioned() ? table + "partition-" + bucket.partitionId() + "/" : table)
                + "bucket-" + bucket.bucket() + "/";
        this.store = store;
        this.bucket = bucket;
        this.retained = retained;
        this.io = io;
    }

    /**
     * Uploads a local checkpoint taken at {@code offset}: SST files the store lacks into the shared
     * folder, the other files into the snapshot's folder, then the list that completes it. Older
     * snapshots beyond the retained count, and SST files no snapshot lists, are deleted.
     */
    public Snapshot upload(Path checkpoint, long offset) {
        try {
            // One listing tells both whether this offset is stored and which SST files are.
            List<SnapshotStore.Entry> entries = store.list(dir);
            Snapshot existing = complete(entries).get(offset);
            if (existing != null) {
                return existing; // nothing new since the last one
            }
            String identity = Files.readString(checkpoint.resolve("IDENTITY"), StandardCharsets.UTF_8).trim();
            Set<String> stored = new HashSet<>();
            for (SnapshotStore.Entry entry : entries) {
                stored.add(entry.key());
            }
            String folder = String.format("%ssnap-%020d-%s/", dir, offset, UUID.randomUUID());
            List<String> lines = new ArrayList<>();
            List<CompletableFuture<Void>> transfers = new ArrayList<>();
            try (Stream<Path> files = Files.list(checkpoint)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    String key;
                    if (name.endsWith(".sst")) {
                        String shared = identity + "-" + name;
                        lines.add(name + " " + shared);
                        key = dir + "sst/" + shared;
                        if (stored.contains(key)) {
                            continue;
                        }
                    } else {
                        key = folder + name;
                    }
                    transfers.add(CompletableFuture.runAsync(() -> upload(file, key), io));
                }
            }
            awaitAll(transfers);
            store.write(folder + FILES, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
            Snapshot snapshot = new Snapshot(offset, folder);
            prune();
            return snapshot;
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot upload a KV snapshot of " + bucket + " to "
                    + store.location(dir) + ": " + e.getMessage(), e);
        }
    }

    private void upload(Path file, String key) {
        try {
            store.upload(file, key);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot upload " + file + " to " + store.location(key), e);
        }
    }

    /** Waits for every transfer; the first failure is thrown as an IOException. */
    private static void awaitAll(List<CompletableFuture<Void>> transfers) throws IOException {
        try {
            CompletableFuture.allOf(transfers.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException) {
                throw ((UncheckedIOException) cause).getCause();
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }

    /** Complete snapshots, oldest first, one per offset. */
    public List<Snapshot> list() {
        try {
            return new ArrayList<>(complete(store.list(dir)).values());
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot list the KV snapshots of " + bucket + " in "
                    + store.location(dir) + ": " + e.getMessage(), e);
        }
    }

    /** The complete snapshots among {@code entries} by offset; of several of one offset, the first by name. */
    private TreeMap<Long, Snapshot> complete(List<SnapshotStore.Entry> entries) {
        TreeMap<Long, Snapshot> snapshots = new TreeMap<>();
        for (SnapshotStore.Entry entry : entries) {
            String key = entry.key().substring(dir.length());
            Matcher matcher = SNAPSHOT.matcher(key);
            if (matcher.lookingAt() && key.length() == matcher.end() + FILES.length() && key.endsWith(FILES)) {
                long offset = Long.parseLong(matcher.group(1));
                Snapshot snapshot = new Snapshot(offset, dir + matcher.group());
                snapshots.merge(offset, snapshot, (a, b) -> a.folder().compareTo(b.folder()) <= 0 ? a : b);
            }
        }
        return snapshots;
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
        try {
            for (String folder : folders(store.list(dir)).keySet()) {
                long offset = offsetOf(folder);
                if (offset > logEnd) {
                    LOG.warn("{}: discarding the KV snapshot at offset {}, beyond the log end {} of the new leader",
                            bucket, offset, logEnd);
                    store.deletePrefix(folder);
                }
            }
        } catch (IOException e) {
            throw new ThermoclineStorageException("Cannot discard the KV snapshots of " + bucket + " above offset "
                    + logEnd + " in " + store.location(dir) + ": " + e.getMessage(), e);
        }
    }

    /** Every snapshot folder, complete or not, with the newest write time of its objects. */
    private Map<String, Long> folders(List<SnapshotStore.Entry> entries) {
        Map<String, Long> folders = new TreeMap<>();
        for (SnapshotStore.Entry entry : entries) {
            Matcher matcher = SNAPSHOT.matcher(entry.key().substring(dir.length()));
            if (matcher.lookingAt()) {
                folders.merge(dir + matcher.group(), entry.modifiedMillis(), Math::max);
            }
        }
        return folders;
    }

    private long offsetOf(String folder) {
        Matcher matcher = SNAPSHOT.matcher(folder.substring(dir.length()));
        if (!matcher.lookingAt()) {
            throw new IllegalArgumentException(folder);
        }
        return Long.parseLong(matcher.group(1));
    }

    /** Rebuilds a RocksDB directory from a snapshot; {@code target} must not exist. */
    public void restore(Snapshot snapshot, Path target) {
        Path staging = target.resolveSibling(target.getFileName() + ".restoring");
        try {
            FileTrees.delete(staging);
            Files.createDirectories(staging);
            List<CompletableFuture<Void>> transfers = new ArrayList<>();
            for (SnapshotStore.Entry entry : store.list(snapshot.folder())) {
                String name = entry.key().substring(snapshot.folder().length());
                if (!name.equals(FILES)) {
                    transfers.add(CompletableFuture.runAsync(() -> download(entry.key(), staging.resolve(name)), io));
                }
            }
            String files = new String(store.read(snapshot.folder() + FILES), StandardCharsets.UTF_8);
            for (String line : files.split("\n")) {
                if (!line.isBlank()) {
                    String[] names = line.split(" ");
                    transfers.add(CompletableFuture.runAsync(() -> download(dir + "sst/" + names[1],
                            staging.resolve(names[0])), io));
                }
            }
            awaitAll(transfers);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("{}: restored the KV snapshot at offset {} from {}", bucket, snapshot.offset(),
                    store.location(snapshot.folder()));
        } catch (IOException | RuntimeException e) {
            try {
                FileTrees.delete(staging);
            } catch (IOException ignored) {
                // the next restore deletes it first
            }
            throw new ThermoclineStorageException("Cannot restore the KV snapshot " + store.location(snapshot.folder())
                    + " of " + bucket + ": " + e.getMessage(), e);
        }
    }

    private void download(String key, Path target) {
        try {
            store.download(key, target);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot download " + store.location(key), e);
        }
    }

    /**
     * Keeps the newest {@code retained} complete snapshots (one per offset) and the SST files they
     * list. Other folders and unlisted SST files go once they are older than an upload may take:
     * they may belong to a snapshot still uploading (a leader that just took over).
     */
    private void prune() throws IOException {
        List<SnapshotStore.Entry> entries = store.list(dir);
        TreeMap<Long, Snapshot> complete = complete(entries);
        List<Snapshot> kept = new ArrayList<>(complete.values());
        kept = kept.subList(Math.max(0, kept.size() - retained), kept.size());
        Set<String> keptFolders = new HashSet<>();
        Set<String> referenced = new HashSet<>();
        for (Snapshot snapshot : kept) {
            keptFolders.add(snapshot.folder());
            String files = new String(store.read(snapshot.folder() + FILES), StandardCharsets.UTF_8);
            for (String line : files.split("\n")) {
                if (!line.isBlank()) {
                    referenced.add(dir + "sst/" + line.split(" ")[1]);
                }
            }
        }
        long oldestKept = kept.isEmpty() ? Long.MAX_VALUE : kept.get(0).offset();
        long cutoff = System.currentTimeMillis() - UPLOAD_GRACE_MS;
        for (Map.Entry<String, Long> folder : folders(entries).entrySet()) {
            boolean completeOld = offsetOf(folder.getKey()) < oldestKept
                    && complete.containsKey(offsetOf(folder.getKey()));
            if (!keptFolders.contains(folder.getKey()) && (completeOld || folder.getValue() < cutoff)) {
                store.deletePrefix(folder.getKey());
            }
        }
        for (SnapshotStore.Entry entry : entries) {
            if (entry.key().startsWith(dir + "sst/") && !referenced.contains(entry.key())
                    && entry.modifiedMillis() < cutoff) {
                store.delete(entry.key());
            }
        }
    }
}
