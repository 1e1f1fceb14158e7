package dev.cortado.node.storage;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Reads of the {@code tx} column family, the exactly-once index: transaction hash → {@code u64 height ‖ u64
 * namespace ‖ u32 index}. It is read once per submitted transaction, and nearly every read is a miss (a new
 * transaction), so the family keeps a whole-key bloom filter (10 bits per key, about 1% false positives) that
 * answers most misses without reading a data block of each SST file (its options are built in {@link RocksMemory}), and a batch is answered by one
 * {@code multiGet}. Writes stay in {@link NodeStore}'s per-block write batch.
 */
final class TxIndexColumn {
    private final RocksDB db;
    private final ColumnFamilyHandle family;

    TxIndexColumn(RocksDB db, ColumnFamilyHandle family) {
        this.db = db;
        this.family = family;
    }

    void flush() {
        try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
            db.flush(f, family);
        } catch (RocksDBException e) {
            throw new StorageException("flush failed: " + e.getMessage(), e);
        }
    }

    /** Compacts the whole family into the last level, as a long-running node's index mostly is. */
    void compact() {
        try {
            db.compactRange(family);
        } catch (RocksDBException e) {
            throw new StorageException("compaction failed: " + e.getMessage(), e);
        }
    }

    Optional<TxLocation> location(byte[] hash) {
        try {
            byte[] v = db.get(family, hash);
            if (v == null) {
                return Optional.empty();
            }
            ByteBuffer b = ByteBuffer.wrap(v);
            return Optional.of(new TxLocation(b.getLong(), b.getLong(), b.getInt()));
        } catch (RocksDBException e) {
            throw new StorageException("read failed: " + e.getMessage(), e);
        }
    }

    boolean[] indexed(List<byte[]> hashes) {
        boolean[] out = new boolean[hashes.size()];
        if (hashes.isEmpty()) {
            return out;
        }
        try {
            List<byte[]> values = db.multiGetAsList(Collections.nCopies(hashes.size(), family), hashes);
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i) != null;
            }
            return out;
        } catch (RocksDBException e) {
            throw new StorageException("read failed: " + e.getMessage(), e);
        }
    }
}
