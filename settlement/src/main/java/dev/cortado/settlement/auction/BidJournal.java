package dev.cortado.settlement.auction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bidder's durable memory: every bid with its salt, in {@code bids.json} under the state folder.
 * Each change writes a new file, fsyncs it, renames it over the old one and fsyncs the folder, so after
 * a crash the file is either the old or the new version, never a torn one. The bidder writes here
 * before it signs or sends anything: a salt that is lost after its commit is on L1 turns into a
 * forfeit. One bidder process per state folder; a lock file keeps a second one out.
 */
public final class BidJournal implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ENTRIES = 10_000;
    private final Path file;
    private final Path folder;
    private final FileChannel lockChannel;
    private final java.nio.channels.FileLock lock;
    private List<PendingBid> entries;

    private BidJournal(Path folder, FileChannel lockChannel, java.nio.channels.FileLock lock, List<PendingBid> entries) {
        this.folder = folder;
        this.file = folder.resolve("bids.json");
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.entries = entries;
    }

    /** Opens (creating) the journal in {@code folder}; fails when another process holds it. */
    public static BidJournal open(Path folder) {
        try {
            Files.createDirectories(folder);
            FileChannel ch = FileChannel.open(folder.resolve("bids.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            java.nio.channels.FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this same JVM
            }
            if (lock == null) {
                ch.close();
                throw new IllegalStateException("another bidder is using the state folder " + folder);
            }
            Path file = folder.resolve("bids.json");
            List<PendingBid> entries = new ArrayList<>();
            if (Files.exists(file)) {
                try {
                    entries.addAll(JSON.readValue(Files.readString(file), new TypeReference<List<PendingBid>>() {}));
                } catch (JacksonException e) {
                    lock.release();
                    ch.close();
                    throw new IllegalStateException(file + " is not a bid journal: " + e.getOriginalMessage(), e);
                }
            }
            return new BidJournal(folder, ch, lock, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the bid journal in " + folder + ": " + e.getMessage(), e);
        }
    }

    public synchronized List<PendingBid> entries() {
        return List.copyOf(entries);
    }

    /** Adds {@code bid} and returns its index; durable when this returns. */
    public synchronized int add(PendingBid bid) {
        if (entries.size() >= MAX_ENTRIES) {
            throw new IllegalStateException("the bid journal holds " + MAX_ENTRIES + " bids; start a new state folder");
        }
        List<PendingBid> next = new ArrayList<>(entries);
        next.add(bid);
        persist(next);
        return next.size() - 1;
    }

    /** Replaces entry {@code index} with {@code change} applied to it; durable when this returns. */
    public synchronized PendingBid update(int index, UnaryOperator<PendingBid> change) {
        List<PendingBid> next = new ArrayList<>(entries);
        PendingBid updated = change.apply(next.get(index));
        next.set(index, updated);
        persist(next);
        return updated;
    }

    private void persist(List<PendingBid> next) {
        Path tmp = folder.resolve("bids.json.tmp");
        try {
            byte[] bytes = JSON.writeValueAsString(next).getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + folder + " cannot rename atomically", e);
            }
            // The rename is durable only once the folder's entry is on disk.
            try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
                dir.force(true);
            }
            entries = next;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bid journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
