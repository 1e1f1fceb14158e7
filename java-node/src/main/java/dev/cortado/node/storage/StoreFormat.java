package dev.cortado.node.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The version of the store's encodings, kept in {@code meta}. Stored leaves, QCs and the safety state changed
 * with stake-table epochs (they carry their epoch), and a store written before that decodes into garbage or
 * fails deep inside consensus. Checking one number at open turns that into a refusal that says what to do.
 */
final class StoreFormat {
    /** 1: leaves, QCs and safety state carry their epoch; the {@code epoch_tables} column. */
    static final int CURRENT = 1;
    private static final byte[] KEY = "store-format".getBytes(StandardCharsets.US_ASCII);

    private StoreFormat() {
    }

    /**
     * Records {@link #CURRENT} in a new store; refuses a store with blocks or a safety state but no format (written
     * before formats were recorded) or with another format.
     */
    static void check(RocksDB db, ColumnFamilyHandle meta, ColumnFamilyHandle blocks, String directory, WriteOptions sync) {
        try {
            byte[] v = db.get(meta, KEY);
            if (v == null) {
                if (!isEmpty(db, meta) || !isEmpty(db, blocks)) {
                    throw new StorageException(refusal(directory, "an older Cortado (before store formats were recorded)"));
                }
                db.put(meta, sync, KEY, ByteBuffer.allocate(4).putInt(CURRENT).array());
                return;
            }
            int found = v.length == 4 ? ByteBuffer.wrap(v).getInt() : -1;
            if (found != CURRENT) {
                throw new StorageException(refusal(directory, found < 0 ? "an unknown version (a " + v.length
                        + "-byte format record)" : (found < CURRENT ? "an older" : "a newer") + " Cortado (format " + found + ")"));
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the store format at " + directory + ": " + e.getMessage(), e);
        }
    }

    private static String refusal(String directory, String writer) {
        return "the data directory " + directory + " was written by " + writer + "; this node reads store format "
                + CURRENT + " only. Start it on a fresh data directory: it catches up from its peers";
    }

    private static boolean isEmpty(RocksDB db, ColumnFamilyHandle family) {
        try (RocksIterator it = db.newIterator(family)) {
            it.seekToFirst();
            return !it.isValid();
        }
    }
}
