package dev.cortado.node.storage;

import dev.cortado.node.storage.NodeStore.BundleLocation;
import dev.cortado.node.storage.NodeStore.DecidedBundle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The {@code bundles} column family: {@code 'h' ‖ height} → that height's bundle records with their ids, and
 * {@code 'i' ‖ bundle id} → where the bundle was decided. Both key kinds share one family so that a height's
 * records and their index entries are written in one batch and pruned together.
 */
final class BundleColumn {
    private final RocksDB db;
    private final ColumnFamilyHandle family;
    private final WriteOptions writeOptions;

    BundleColumn(RocksDB db, ColumnFamilyHandle family, WriteOptions writeOptions) {
        this.db = db;
        this.family = family;
        this.writeOptions = writeOptions;
    }

    void put(long height, List<DecidedBundle> decided) {
        int size = 4;
        for (DecidedBundle b : decided) size += 32 + 4 + b.record().length;
        ByteBuffer value = ByteBuffer.allocate(size).putInt(decided.size());
        try (WriteBatch batch = new WriteBatch()) {
            for (DecidedBundle b : decided) {
                value.put(b.id()).putInt(b.record().length).put(b.record());
                batch.put(family, idKey(b.id()), ByteBuffer.allocate(12).putLong(height).putInt(b.index()).array());
            }
            batch.put(family, heightKey(height), value.array());
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new StorageException("cannot store bundles of " + height + ": " + e.getMessage(), e);
        }
    }

    List<DecidedBundle> at(long height) {
        byte[] v = get(heightKey(height));
        List<DecidedBundle> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        int n = b.getInt();
        for (int i = 0; i < n; i++) {
            byte[] id = new byte[32];
            b.get(id);
            byte[] record = new byte[b.getInt()];
            b.get(record);
            out.add(new DecidedBundle(id, i, record));
        }
        return out;
    }

    Optional<BundleLocation> location(byte[] id) {
        byte[] v = get(idKey(id));
        if (v == null) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        return Optional.of(new BundleLocation(b.getLong(), b.getInt()));
    }

    /** Adds to {@code batch} the deletion of every record and index entry of heights in {@code [fromHeight, toHeight)}. */
    void deleteRange(WriteBatch batch, long fromHeight, long toHeight) throws RocksDBException {
        for (long h = fromHeight; h < toHeight; h++) {
            for (DecidedBundle b : at(h)) {
                batch.delete(family, idKey(b.id()));
            }
        }
        batch.deleteRange(family, heightKey(0), heightKey(toHeight));
    }

    private byte[] get(byte[] key) {
        try {
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw new StorageException("read failed: " + e.getMessage(), e);
        }
    }

    private static byte[] heightKey(long height) {
        return ByteBuffer.allocate(9).put((byte) 'h').putLong(height).array();
    }

    private static byte[] idKey(byte[] id) {
        return ByteBuffer.allocate(33).put((byte) 'i').put(id).array();
    }
}
