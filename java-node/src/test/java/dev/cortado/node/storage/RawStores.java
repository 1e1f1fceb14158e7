package dev.cortado.node.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/** Test fixture: edits a closed store with plain RocksDB, to make the stores older versions wrote. */
final class RawStores {
    private RawStores() {
    }

    /** Sets ({@code value} non-null) or deletes a key of one column family. */
    static void putOrDelete(Path directory, String family, byte[] key, byte[] value) throws Exception {
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
                    if (value == null) {
                        db.delete(handles.get(i), key);
                    } else {
                        db.put(handles.get(i), key, value);
                    }
                }
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    static void dropFamily(Path directory, String family) throws Exception {
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
                    db.dropColumnFamily(handles.get(i));
                }
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
