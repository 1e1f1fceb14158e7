package dev.cortado.node.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** Test fixture: edits a closed store with plain RocksDB, to make the stores older versions wrote. */
final class RawStores {
    private RawStores() {
    }

    @FunctionalInterface
    private interface Edit {
        void apply(RocksDB db, ColumnFamilyHandle family) throws RocksDBException;
    }

    /** Sets ({@code value} non-null) or deletes a key of one column family. */
    static void putOrDelete(Path directory, String family, byte[] key, byte[] value) throws Exception {
        edit(directory, family, (db, h) -> {
            if (value == null) {
                db.delete(h, key);
            } else {
                db.put(h, key, value);
            }
        });
    }

    static void dropFamily(Path directory, String family) throws Exception {
        edit(directory, family, RocksDB::dropColumnFamily);
    }

    private static void edit(Path directory, String family, Edit edit) throws Exception {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (org.rocksdb.Options listing = new org.rocksdb.Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(listing, directory.toString())) {
                descriptors.add(new ColumnFamilyDescriptor(name));
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions(); RocksDB db = RocksDB.open(options, directory.toString(), descriptors, handles)) {
            for (int i = 0; i < descriptors.size(); i++) {
                if (new String(descriptors.get(i).getName(), StandardCharsets.US_ASCII).equals(family)) {
                    edit.apply(db, handles.get(i));
                }
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
