package dev.cortado.node.storage;

import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The {@code epoch_tables} column family: {@code u64 epoch} → the stake table this node derived for that epoch
 * ({@code u8 version=1 ‖ u32 count ‖ count × (96-byte compressed BLS key ‖ u64 stakeGwei ‖ u8 isDa)}, in L1
 * order). A table is a function of the decided chain and L1's history, so one derived once need not be derived
 * again: a restarted node reads it here instead of replaying every epoch from genesis, and it still answers an
 * epoch whose snapshot block it has since pruned. Never pruned (one small row per epoch).
 *
 * <p>Written through the WAL without fsync: a table lost to a machine crash is derived again from the decided
 * chain, which is stored the same way and so never ahead of it.
 */
public final class EpochTableColumn {
    private static final byte VERSION = 1;
    private static final int ENTRY_BYTES = BlsPublicKey.COMPRESSED_BYTES + 8 + 1;

    private final RocksDB db;
    private final ColumnFamilyHandle family;
    private final WriteOptions writeOptions;

    EpochTableColumn(RocksDB db, ColumnFamilyHandle family, WriteOptions writeOptions) {
        this.db = db;
        this.family = family;
        this.writeOptions = writeOptions;
    }

    public void put(long epoch, StakeTable table) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        try {
            db.put(family, writeOptions, NodeStore.heightKey(epoch), encode(table));
        } catch (RocksDBException e) {
            throw new StorageException("cannot store the stake table of epoch " + epoch + ": " + e.getMessage(), e);
        }
    }

    public Optional<StakeTable> get(long epoch) {
        byte[] v;
        try {
            v = db.get(family, NodeStore.heightKey(epoch));
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the stake table of epoch " + epoch + ": " + e.getMessage(), e);
        }
        return v == null ? Optional.empty() : Optional.of(decode(epoch, v));
    }

    /** The highest epoch with a stored table. */
    public OptionalLong highest() {
        try (RocksIterator it = db.newIterator(family)) {
            it.seekToLast();
            return it.isValid() ? OptionalLong.of(ByteBuffer.wrap(it.key()).getLong()) : OptionalLong.empty();
        }
    }

    static byte[] encode(StakeTable table) {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + table.size() * ENTRY_BYTES).put(VERSION).putInt(table.size());
        for (StakeEntry e : table.entries()) {
            b.put(e.key().toBytes()).putLong(e.stakeGwei()).put((byte) (e.daMember() ? 1 : 0));
        }
        return b.array();
    }

    /**
     * Decodes a stored row, refusing one that is not exactly what {@link #encode} writes: the count is checked
     * against the bytes present before anything is allocated, and every key goes through the checked decoding.
     */
    static StakeTable decode(long epoch, byte[] v) {
        try {
            ByteBuffer b = ByteBuffer.wrap(v);
            byte version = b.get();
            if (version != VERSION) throw corrupt(epoch, "unknown version " + version);
            int count = b.getInt();
            if (count < 1 || count > StakeTable.MAX_ENTRIES || (long) count * ENTRY_BYTES != b.remaining()) {
                throw corrupt(epoch, count + " entries in " + b.remaining() + " bytes");
            }
            List<StakeEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] key = new byte[BlsPublicKey.COMPRESSED_BYTES];
                b.get(key);
                long stake = b.getLong();
                byte da = b.get();
                if (da != 0 && da != 1) throw corrupt(epoch, "entry " + i + " has DA flag " + da);
                entries.add(new StakeEntry(BlsPublicKey.fromBytes(key), stake, da == 1));
            }
            return StakeTable.of(entries);
        } catch (BufferUnderflowException | IllegalArgumentException | ArithmeticException e) {
            throw corrupt(epoch, e.getMessage());
        }
    }

    private static StorageException corrupt(long epoch, String why) {
        return new StorageException("corrupt stored stake table of epoch " + epoch + ": " + why, null);
    }
}
