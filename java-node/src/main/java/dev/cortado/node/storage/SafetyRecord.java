package dev.cortado.node.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The safety state's row in {@code meta} ({@code u64 highestVotedView ‖ the core's encoding}), written with
 * fsync: the write returns only once it is on disk, so a vote sent after it can never be forgotten by a restart.
 */
final class SafetyRecord {
    private static final byte[] KEY = "safety".getBytes(StandardCharsets.US_ASCII);

    private final RocksDB db;
    private final ColumnFamilyHandle meta;
    private final WriteOptions syncWrite;
    private final Object lock = new Object();

    SafetyRecord(RocksDB db, ColumnFamilyHandle meta, WriteOptions syncWrite) {
        this.db = db;
        this.meta = meta;
        this.syncWrite = syncWrite;
    }

    /** Refuses a state whose voted view is below the stored one: that would re-open views already voted in. */
    void write(SafetyState state) {
        synchronized (lock) {
            Optional<SafetyState> current = read();
            if (current.isPresent() && state.highestVotedView() < current.get().highestVotedView()) {
                throw new StorageException("safety regression: highestVotedView " + state.highestVotedView()
                        + " below stored " + current.get().highestVotedView());
            }
            ByteBuffer b = ByteBuffer.allocate(8 + state.coreState().length);
            b.putLong(state.highestVotedView()).put(state.coreState());
            try {
                db.put(meta, syncWrite, KEY, b.array());
            } catch (RocksDBException e) {
                throw new StorageException("write failed: " + e.getMessage(), e);
            }
        }
    }

    Optional<SafetyState> read() {
        byte[] v;
        try {
            v = db.get(meta, KEY);
        } catch (RocksDBException e) {
            throw new StorageException("read failed: " + e.getMessage(), e);
        }
        if (v == null) {
            return Optional.empty();
        }
        if (v.length < 8) {
            throw new StorageException("corrupt safety record of " + v.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        long view = b.getLong();
        byte[] core = new byte[b.remaining()];
        b.get(core);
        return Optional.of(new SafetyState(view, core));
    }
}
