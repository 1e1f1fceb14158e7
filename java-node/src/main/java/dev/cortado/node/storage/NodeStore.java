package dev.cortado.node.storage;

import dev.cortado.protocol.types.Bytes32;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The node's RocksDB store. Column families: {@code meta} (safety state, pruning floor),
 * {@code blocks} (height → decided block), {@code payloads}, {@code vid} (height → bytes),
 * {@code tx} (tx hash → location), {@code block_tx} (height → hashes, to prune the index),
 * {@code proofs} (height → proof that the block is decided, for catch-up), {@code header_comm} and
 * {@code header_tree} (the block-commitment tree, never pruned: every new header's {@code blockCommRoot} covers
 * all headers; see {@link HeaderTree}), {@code votes} (the audit log of sent votes), {@code lc} (height →
 * light-client certificate), {@code bundles} (see {@link BundleColumn}) and {@code epoch_tables} (see
 * {@link EpochTableColumn}).
 * Heights are 8-byte big-endian keys so iteration follows height order.
 *
 * <p>Safety state is written with {@code sync=true}: the call returns only once the write is on
 * disk, so a vote sent after it can never be forgotten by a restart. Everything else goes through
 * the write-ahead log without fsync, which survives a process kill; the network can resupply
 * decided blocks after a machine crash.
 */
public final class NodeStore implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final byte[] KEY_FLOOR = "prune-floor".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final List<String> FAMILIES = List.of("meta", "blocks", "payloads", "vid", "tx", "block_tx", "proofs",
            "header_comm", "votes", "lc", "bundles", "header_tree",
            "epoch_tables");

    private final RocksDB db;
    private final RocksMemory memory;
    private final TxIndexColumn txReads;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle blocks;
    private final ColumnFamilyHandle payloads;
    private final ColumnFamilyHandle vid;
    private final ColumnFamilyHandle txIndex;
    private final ColumnFamilyHandle blockTx;
    private final ColumnFamilyHandle proofs;
    private final HeaderTree headers;
    private final VoteLog voteLog;
    private final ColumnFamilyHandle lightClient;
    private final BundleColumn bundles;
    private final WriteOptions syncWrite = new WriteOptions().setSync(true);
    private final WriteOptions walWrite = new WriteOptions();
    private final SafetyRecord safety;
    private final EpochTableColumn epochTables;

    /** A store with the default memory budget ({@link StoreBudget#DEFAULT}). */
    public NodeStore(Path directory) {
        this(directory, StoreBudget.DEFAULT);
    }

    public NodeStore(Path directory, StoreBudget budget) {
        memory = new RocksMemory(budget);
        try {
            Files.createDirectories(directory);
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, memory.plainFamily()));
            for (String f : FAMILIES) {
                descriptors.add(new ColumnFamilyDescriptor(f.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        f.equals("tx") ? memory.txIndexFamily() : memory.plainFamily()));
            }
            db = RocksDB.open(memory.dbOptions(), directory.toString(), descriptors, handles);
            memory.opened(db);
        } catch (RocksDBException | java.io.IOException e) {
            memory.close();
            throw new StorageException("cannot open store at " + directory + ": " + e.getMessage(), e);
        }
        meta = handles.get(1);
        blocks = handles.get(2);
        payloads = handles.get(3);
        vid = handles.get(4);
        txIndex = handles.get(5);
        txReads = new TxIndexColumn(db, txIndex);
        blockTx = handles.get(6);
        proofs = handles.get(7);
        voteLog = new VoteLog(db, handles.get(9), walWrite);
        lightClient = handles.get(10);
        bundles = new BundleColumn(db, handles.get(11), walWrite);
        headers = new HeaderTree(db, handles.get(8), handles.get(12), walWrite);
        epochTables = new EpochTableColumn(db, handles.get(13), walWrite);
        safety = new SafetyRecord(db, meta, syncWrite);
        try {
            StoreFormat.check(db, meta, blocks, directory.toString(), syncWrite);
        } catch (StorageException e) {
            close();
            throw e;
        }
    }

    // ---- safety ----

    /**
     * Durably records the safety state; returns only after fsync. A state whose voted view is lower
     * than the stored one is refused: that would re-open views this node already voted in.
     */
    public void writeSafety(SafetyState state) {
        safety.write(state);
    }

    public Optional<SafetyState> readSafety() {
        return safety.read();
    }

    // ---- stake tables of epochs (issue 14) ----

    /** The stake table this node derived for each epoch (see {@link EpochTableColumn}). */
    public EpochTableColumn epochTables() {
        return epochTables;
    }

    // ---- light-client certificates ----

    public void putLightClient(long height, byte[] certificate) {
        put(lightClient, heightKey(height), certificate, walWrite);
    }

    public Optional<byte[]> lightClient(long height) {
        return Optional.ofNullable(get(lightClient, heightKey(height)));
    }

    /** The highest height with a light-client certificate, or -1. */
    public long latestLightClientHeight() {
        try (RocksIterator it = db.newIterator(lightClient)) {
            it.seekToLast();
            return it.isValid() ? ByteBuffer.wrap(it.key()).getLong() : -1;
        }
    }

    // ---- vote log ----

    /** A vote this node sent: quorum votes carry the leaf commitment, timeout votes zero. */
    public record VoteRecord(long view, byte kind, byte[] commitment) {
        public static final byte QUORUM = 1;
        public static final byte TIMEOUT = 2;
    }

    /**
     * Appends a sent vote to the audit log (key {@code view ‖ kind ‖ unique sequence}, so a second,
     * conflicting vote in a view would show up as a second entry rather than overwrite the first).
     */
    public void recordVote(VoteRecord v) {
        voteLog.append(v);
    }

    public List<VoteRecord> votes() {
        return voteLog.all();
    }

    // ---- decided blocks ----

    /**
     * Stores a decided block with its payload (null on nodes that hold only a VID share), its VID
     * share (null if none), the hashes of its transactions with their locations, (null if none) the
     * proof that it is decided, and its header commitment into the {@link HeaderTree}, atomically. Heights
     * come in order from 1: the tree refuses any other.
     */
    public void putDecided(DecidedBlock block, byte[] payload, byte[] vidShare, List<IndexedTx> txs, byte[] decideProof) {
        try (WriteBatch batch = new WriteBatch()) {
            byte[] key = heightKey(block.height());
            batch.put(blocks, key, BlockCodec.encode(block));
            if (payload != null) {
                batch.put(payloads, key, payload);
            }
            if (vidShare != null) {
                batch.put(vid, key, vidShare);
            }
            ByteBuffer hashes = ByteBuffer.allocate(32 * txs.size());
            for (IndexedTx tx : txs) {
                ByteBuffer loc = ByteBuffer.allocate(20);
                loc.putLong(block.height()).putLong(tx.namespace()).putInt(tx.index());
                batch.put(txIndex, tx.hash(), loc.array());
                hashes.put(tx.hash());
            }
            batch.put(blockTx, key, hashes.array());
            if (decideProof != null) {
                batch.put(proofs, key, decideProof);
            }
            headers.write(batch, block.height(), Bytes32.of(block.commitment()));
        } catch (RocksDBException e) {
            throw new StorageException("cannot store block " + block.height() + ": " + e.getMessage(), e);
        }
    }

    /** A transaction hash (32 bytes) with its place in a block. */
    public record IndexedTx(byte[] hash, long namespace, int index) {
        public IndexedTx {
            if (hash.length != 32) {
                throw new IllegalArgumentException("tx hash is 32 bytes");
            }
        }
    }

    public Optional<DecidedBlock> decided(long height) {
        byte[] v = get(blocks, heightKey(height));
        return v == null ? Optional.empty() : Optional.of(BlockCodec.decode(v));
    }

    public Optional<byte[]> payload(long height) {
        return Optional.ofNullable(get(payloads, heightKey(height)));
    }

    /** Stores the payload of an already decided height (one rebuilt or fetched after the decide). */
    public void putPayload(long height, byte[] payload) {
        if (decided(height).isEmpty()) {
            throw new IllegalArgumentException("height " + height + " is not decided here");
        }
        put(payloads, heightKey(height), payload, walWrite);
    }

    /** Deletes every stored payload (blocks and VID shares stay); a test hook for data-availability tests. */
    public void deleteAllPayloads() {
        try (WriteBatch batch = new WriteBatch()) {
            batch.deleteRange(payloads, heightKey(0), heightKey(Long.MAX_VALUE));
            db.write(walWrite, batch);
        } catch (RocksDBException e) {
            throw new StorageException("deleting payloads failed: " + e.getMessage(), e);
        }
    }

    public Optional<byte[]> vidShare(long height) {
        return Optional.ofNullable(get(vid, heightKey(height)));
    }

    public Optional<TxLocation> txLocation(byte[] hash) {
        return txReads.location(hash);
    }

    /** Writes the tx index's memtable to an SST file, where its bloom filter lives (tests read through it). */
    void flushTxIndex() {
        txReads.flush();
    }

    /** Flushes and compacts the tx index into large SST files, with filters of a megabyte or more (a test hook). */
    void compactTxIndex() {
        txReads.flush();
        txReads.compact();
    }

    /** Whether each hash is in the tx index, in order: one batched read for the whole list. */
    public boolean[] txIndexed(List<byte[]> hashes) {
        return txReads.indexed(hashes);
    }

    /** The highest stored height, or -1 when nothing is decided yet. */
    public long latestHeight() {
        try (RocksIterator it = db.newIterator(blocks)) {
            it.seekToLast();
            return it.isValid() ? ByteBuffer.wrap(it.key()).getLong() : -1;
        }
    }

    /** Decided blocks in {@code [fromHeight, fromHeight + max)} that are still stored, in order. */
    public List<DecidedBlock> decidedRange(long fromHeight, int max) {
        List<DecidedBlock> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(blocks)) {
            for (it.seek(heightKey(fromHeight)); it.isValid() && out.size() < max; it.next()) {
                out.add(BlockCodec.decode(it.value()));
            }
        }
        return out;
    }

    public Optional<byte[]> decideProof(long height) {
        return Optional.ofNullable(get(proofs, heightKey(height)));
    }

    /** The highest height in {@code [from, to]} that has a decide proof. */
    public Optional<Long> highestProofIn(long from, long to) {
        try (RocksIterator it = db.newIterator(proofs)) {
            it.seekForPrev(heightKey(to));
            if (it.isValid()) {
                long h = ByteBuffer.wrap(it.key()).getLong();
                if (h >= from) {
                    return Optional.of(h);
                }
            }
            return Optional.empty();
        }
    }

    /** The block-commitment tree: header commitments, proofs of old headers, the frontier for new roots. */
    public HeaderTree headers() {
        return headers;
    }

    // ---- bundles (issue 11) ----

    /** A decided bundle: its id (EIP-712 digest), and its record's index in the block's reserved namespace. */
    public record DecidedBundle(byte[] id, int index, byte[] record) {
    }

    /** Where a bundle was decided: the height and its record's index among the block's bundle records. */
    public record BundleLocation(long height, int index) {
    }

    /**
     * Stores the bundle records of a height about to be decided. Written before {@link #putDecided}: a crash in
     * between leaves records for a height that will be decided again with the same block, never a block without them.
     */
    public void putBundles(long height, List<DecidedBundle> decided) {
        bundles.put(height, decided);
    }

    /** The bundle records of a decided height, in block order (empty if none or pruned). */
    public List<DecidedBundle> bundles(long height) {
        return bundles.at(height);
    }

    public Optional<BundleLocation> bundleLocation(byte[] id) {
        return bundles.location(id);
    }

    // ---- pruning ----

    /** Lowest height still stored (0 until something is pruned). */
    public long pruneFloor() {
        byte[] v = get(meta, KEY_FLOOR);
        return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    }

    /**
     * Deletes blocks, payloads, VID shares and index entries below {@code latestHeight() -
     * retainBlocks + 1}. Archival nodes never call this.
     */
    public long prune(long retainBlocks) {
        if (retainBlocks < 1) {
            throw new IllegalArgumentException("retainBlocks must be at least 1, got " + retainBlocks);
        }
        long floor = Math.max(0, latestHeight() - retainBlocks + 1);
        long oldFloor = pruneFloor();
        if (floor <= oldFloor) {
            return oldFloor;
        }
        try (WriteBatch batch = new WriteBatch(); RocksIterator it = db.newIterator(blockTx)) {
            for (it.seek(heightKey(oldFloor)); it.isValid() && ByteBuffer.wrap(it.key()).getLong() < floor; it.next()) {
                byte[] hashes = it.value();
                for (int off = 0; off + 32 <= hashes.length; off += 32) {
                    batch.delete(txIndex, java.util.Arrays.copyOfRange(hashes, off, off + 32));
                }
            }
            bundles.deleteRange(batch, oldFloor, floor);
            byte[] from = heightKey(0);
            byte[] to = heightKey(floor);
            for (ColumnFamilyHandle h : List.of(blocks, payloads, vid, blockTx, proofs)) {
                batch.deleteRange(h, from, to);
            }
            batch.put(meta, KEY_FLOOR, heightKey(floor));
            db.write(walWrite, batch);
        } catch (RocksDBException e) {
            throw new StorageException("prune to " + floor + " failed: " + e.getMessage(), e);
        }
        return floor;
    }

    static byte[] heightKey(long height) {
        return ByteBuffer.allocate(8).putLong(height).array();
    }

    private byte[] get(ColumnFamilyHandle h, byte[] key) {
        try {
            return db.get(h, key);
        } catch (RocksDBException e) {
            throw new StorageException("read failed: " + e.getMessage(), e);
        }
    }

    private void put(ColumnFamilyHandle h, byte[] key, byte[] value, WriteOptions options) {
        try {
            db.put(h, options, key, value);
        } catch (RocksDBException e) {
            throw new StorageException("write failed: " + e.getMessage(), e);
        }
    }

    /** The store's RocksDB memory budget and its gauges (issue 10). */
    public RocksMemory memory() {
        return memory;
    }

    /** Closes the database, then the cache and options it used; a second call does nothing. */
    @Override
    public void close() {
        memory.closeAfter(() -> {
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            syncWrite.close();
            walWrite.close();
        });
    }
}
