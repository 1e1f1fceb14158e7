package dev.cortado.node.l1;

import dev.cortado.node.storage.StorageException;
import dev.cortado.protocol.epoch.ValidatorEvent;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.port.L1Head;
import dev.cortado.settlement.port.WindowState;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The follower's RocksDB, separate from the node's block store so neither schema constrains the other.
 * Column families: {@code l1_meta} (the followed head), {@code l1_windows} ({@code u64 window ‖ u64 fromBlock}
 * → window state), {@code l1_stake} ({@code u64 block ‖ u32 logIndex} of the registration → validator) and
 * {@code l1_stake_events} ({@code u64 block ‖ u32 logIndex} → every StakeTable event followed, appended: the
 * history the stake table of any past block is rebuilt from; {@code u8 1 ‖ u64 id ‖ u32 keyLength ‖ key ‖
 * u64 stakeGwei ‖ u8 isDa} for a registration, {@code u8 2 ‖ u64 id} for an exit).
 * Each poll's result is written as one synced batch that replaces the whole state, which is bounded (a few
 * windows' versions and the active table), so a crash leaves the old state or the new one.
 */
public final class L1FollowerStore implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final byte[] KEY_HEAD = "followed".getBytes(StandardCharsets.US_ASCII);
    /** LightClient.sol at the followed block: {@code u64 l1Block ‖ u64 view ‖ u64 height ‖ blockCommRoot[32]}. */
    private static final byte[] KEY_LIGHT_CLIENT = "light_client".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOW = new byte[0];
    private static final byte[] HIGH = filled(17, (byte) 0xff);

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final WriteOptions sync = new WriteOptions().setSync(true);

    public L1FollowerStore(Path directory) {
        try {
            Files.createDirectories(directory);
            dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
            cfOptions = new ColumnFamilyOptions();
            List<ColumnFamilyDescriptor> d = new ArrayList<>();
            d.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
            for (String f : List.of("l1_meta", "l1_windows", "l1_stake", "l1_stake_events")) {
                d.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.US_ASCII), cfOptions));
            }
            db = RocksDB.open(dbOptions, directory.toString(), d, handles);
        } catch (RocksDBException | java.io.IOException e) {
            throw new StorageException("cannot open the L1 follower store at " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The persisted state, or empty on a fresh store. */
    public Optional<FollowedState> load() {
        try {
            byte[] head = db.get(handles.get(1), KEY_HEAD);
            if (head == null) return Optional.empty();
            ByteBuffer h = ByteBuffer.wrap(head);
            long number = h.getLong();
            byte[] hash = new byte[32];
            h.get(hash);
            L1Head followed = new L1Head(number, new Bytes32(hash), h.getLong());
            TreeMap<Long, java.util.NavigableMap<Long, WindowState>> windows = new TreeMap<>();
            try (RocksIterator it = db.newIterator(handles.get(2))) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    ByteBuffer k = ByteBuffer.wrap(it.key());
                    long window = k.getLong();
                    long from = k.getLong();
                    windows.computeIfAbsent(window, w -> new TreeMap<>()).put(from, decodeWindow(it.value()));
                }
            }
            List<ActiveValidator> table = new ArrayList<>();
            try (RocksIterator it = db.newIterator(handles.get(3))) {
                for (it.seekToFirst(); it.isValid(); it.next()) table.add(decodeValidator(it.value()));
            }
            byte[] lc = db.get(handles.get(1), KEY_LIGHT_CLIENT);
            return Optional.of(new FollowedState(followed, windows, table, lc == null ? null : decodeLightClient(lc)));
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the L1 follower store: " + e.getMessage(), e);
        }
    }

    /** Every StakeTable event followed so far, in L1 order. */
    public List<ValidatorEvent> loadStakeEvents() {
        List<ValidatorEvent> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(handles.get(4))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                ByteBuffer k = ByteBuffer.wrap(it.key());
                out.add(decodeStakeEvent(k.getLong(), k.getInt(), it.value()));
            }
        }
        return out;
    }

    /** Replaces the persisted state with {@code state}, atomically and durably. */
    public void save(FollowedState state) {
        save(state, List.of());
    }

    /** As {@link #save(FollowedState)}, appending {@code newStakeEvents} to the event history in the same batch. */
    public void save(FollowedState state, List<ValidatorEvent> newStakeEvents) {
        try (WriteBatch batch = new WriteBatch()) {
            for (ValidatorEvent e : newStakeEvents) {
                batch.put(handles.get(4), ByteBuffer.allocate(12).putLong(e.l1Block()).putInt(e.logIndex()).array(),
                        encodeStakeEvent(e));
            }
            L1Head f = state.followed();
            batch.put(handles.get(1), KEY_HEAD, ByteBuffer.allocate(48).putLong(f.number()).put(f.hash().bytes())
                    .putLong(f.timestampSec()).array());
            if (state.lightClient() == null) {
                batch.delete(handles.get(1), KEY_LIGHT_CLIENT);
            } else {
                batch.put(handles.get(1), KEY_LIGHT_CLIENT, encodeLightClient(state.lightClient()));
            }
            batch.deleteRange(handles.get(2), LOW, HIGH);
            for (var w : state.windows().entrySet()) {
                for (var v : w.getValue().entrySet()) {
                    batch.put(handles.get(2), ByteBuffer.allocate(16).putLong(w.getKey()).putLong(v.getKey()).array(),
                            encodeWindow(v.getValue()));
                }
            }
            batch.deleteRange(handles.get(3), LOW, HIGH);
            for (ActiveValidator v : state.stakeTable()) {
                batch.put(handles.get(3), ByteBuffer.allocate(12).putLong(v.registeredBlock()).putInt(v.registeredLogIndex())
                        .array(), encodeValidator(v));
            }
            db.write(sync, batch);
        } catch (RocksDBException e) {
            throw new StorageException("cannot write the L1 follower store: " + e.getMessage(), e);
        }
    }

    static byte[] encodeStakeEvent(ValidatorEvent e) {
        return switch (e) {
            case ValidatorEvent.Joined j -> {
                byte[] key = j.keyEip2537();
                yield ByteBuffer.allocate(1 + 8 + 4 + key.length + 8 + 1).put((byte) 1).putLong(j.validatorId())
                        .putInt(key.length).put(key).putLong(j.stakeGwei()).put((byte) (j.isDa() ? 1 : 0)).array();
            }
            case ValidatorEvent.Left x -> ByteBuffer.allocate(9).put((byte) 2).putLong(x.validatorId()).array();
        };
    }

    static ValidatorEvent decodeStakeEvent(long block, int logIndex, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte kind = in.get();
        long id = in.getLong();
        if (kind == 2) return new ValidatorEvent.Left(block, logIndex, id);
        if (kind != 1) throw new StorageException("stored stake event of kind " + kind + " at block " + block, null);
        byte[] key = new byte[in.getInt()];
        in.get(key);
        return new ValidatorEvent.Joined(block, logIndex, id, key, in.getLong(), in.get() == 1);
    }

    static byte[] encodeLightClient(LightClientOnL1 lc) {
        return ByteBuffer.allocate(56).putLong(lc.l1Block()).putLong(lc.view()).putLong(lc.height())
                .put(lc.blockCommRoot().bytes()).array();
    }

    static LightClientOnL1 decodeLightClient(byte[] bytes) {
        if (bytes.length != 56) throw new StorageException("stored light-client state has " + bytes.length + " bytes, not 56", null);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long l1Block = in.getLong();
        long view = in.getLong();
        long height = in.getLong();
        byte[] root = new byte[32];
        in.get(root);
        return new LightClientOnL1(l1Block, view, height, new Bytes32(root));
    }

    static byte[] encodeWindow(WindowState s) {
        int size = 8 + 1 + 2 + 2;
        for (WindowState.Rollup r : s.rollups()) size += 2 + 8 + 20 + 1 + r.reserveWei().toByteArray().length;
        size += s.winners().size() * 28;
        ByteBuffer out = ByteBuffer.allocate(size).putLong(s.window()).put((byte) (s.resultFinal() ? 1 : 0))
                .putShort((short) s.rollups().size());
        for (WindowState.Rollup r : s.rollups()) {
            byte[] reserve = r.reserveWei().toByteArray();
            out.putShort((short) r.index()).putLong(r.namespace()).put(r.defaultSequencer().bytes())
                    .put((byte) reserve.length).put(reserve);
        }
        out.putShort((short) s.winners().size());
        for (var e : new TreeMap<>(s.winners()).entrySet()) out.putLong(e.getKey()).put(e.getValue().bytes());
        return out.array();
    }

    static WindowState decodeWindow(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long window = in.getLong();
        boolean fin = in.get() == 1;
        int n = in.getShort() & 0xffff;
        List<WindowState.Rollup> rollups = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = in.getShort() & 0xffff;
            long ns = in.getLong();
            Address seq = readAddress(in);
            byte[] reserve = new byte[in.get() & 0xff];
            in.get(reserve);
            rollups.add(new WindowState.Rollup(index, ns, seq, new BigInteger(reserve)));
        }
        int m = in.getShort() & 0xffff;
        Map<Long, Address> winners = new HashMap<>();
        for (int i = 0; i < m; i++) winners.put(in.getLong(), readAddress(in));
        return new WindowState(window, fin, rollups, winners);
    }

    private static byte[] encodeValidator(ActiveValidator v) {
        byte[] key = v.blsKey();
        return ByteBuffer.allocate(8 + 20 + 4 + key.length + 8 + 1 + 8 + 4).putLong(v.validatorId()).put(v.account().bytes())
                .putInt(key.length).put(key).putLong(v.stakeGwei()).put((byte) (v.isDa() ? 1 : 0))
                .putLong(v.registeredBlock()).putInt(v.registeredLogIndex()).array();
    }

    private static ActiveValidator decodeValidator(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long id = in.getLong();
        Address account = readAddress(in);
        byte[] key = new byte[in.getInt()];
        in.get(key);
        return new ActiveValidator(id, account, key, in.getLong(), in.get() == 1, in.getLong(), in.getInt());
    }

    private static Address readAddress(ByteBuffer in) {
        byte[] a = new byte[Address.LENGTH];
        in.get(a);
        return new Address(a);
    }

    private static byte[] filled(int n, byte b) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, b);
        return out;
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) h.close();
        db.close();
        sync.close();
        dbOptions.close();
        cfOptions.close();
    }
}
