package dev.cortado.node.storage;

import dev.cortado.node.storage.NodeStore.VoteRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/** The {@code votes} column family: every vote this node sent, for audits (never read by consensus). */
final class VoteLog {
    private final RocksDB db;
    private final ColumnFamilyHandle family;
    private final WriteOptions writeOptions;
    /** Starts at the clock so that entries of a restarted process never collide with the earlier ones. */
    private final AtomicLong sequence = new AtomicLong(System.nanoTime());

    VoteLog(RocksDB db, ColumnFamilyHandle family, WriteOptions writeOptions) {
        this.db = db;
        this.family = family;
        this.writeOptions = writeOptions;
    }

    void append(VoteRecord v) {
        byte[] key = ByteBuffer.allocate(17).putLong(v.view()).put(v.kind()).putLong(sequence.incrementAndGet()).array();
        try {
            db.put(family, writeOptions, key, v.commitment());
        } catch (RocksDBException e) {
            throw new StorageException("write failed: " + e.getMessage(), e);
        }
    }

    List<VoteRecord> all() {
        List<VoteRecord> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(family)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                ByteBuffer k = ByteBuffer.wrap(it.key());
                out.add(new VoteRecord(k.getLong(), k.get(), it.value()));
            }
        }
        return out;
    }
}
