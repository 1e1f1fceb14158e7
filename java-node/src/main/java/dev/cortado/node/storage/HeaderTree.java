package dev.cortado.node.storage;

import dev.cortado.protocol.block.BlockCommitmentFrontier;
import dev.cortado.protocol.merkle.CompleteSubtrees;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.types.Bytes32;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The block-commitment tree on disk, so that the node's memory for it does not grow with height. Two column
 * families, both never pruned: {@code header_comm} holds the leaves (height → header commitment; height 0 is the
 * genesis leaf {@code bytes32(0)}, never stored) and {@code header_tree} every complete inner subtree
 * ({@code u8 level ‖ u64 position} → root, levels 1 and up) plus the key {@code "n"}, the leaf count the tree
 * covers. In memory stays only the frontier (one subtree root per level) for roots and appends.
 *
 * <p>A decided block, its leaf, the subtrees it completes and the new count go into one write batch, so after a
 * crash the frontier restored from disk is exactly the one of the blocks stored: start-up reads the count, the
 * last stored height and one subtree root per set bit of the count (O(log n) keys), never every header. A proof
 * for any earlier size reads at most 2 × depth complete subtrees ({@link CompleteSubtrees#proof}), with the
 * bytes an in-memory accumulator gives. Subtrees never change once complete, so readers on API threads need no
 * lock: they only ask for sizes already published.
 */
public final class HeaderTree {
    private static final byte[] KEY_COUNT = {'n'};
    /** Appends per write batch when a tree is filled without blocks (a store from before this family, tests). */
    static final int FILL_BATCH = 4096;

    private final RocksDB db;
    private final ColumnFamilyHandle leaves;
    private final ColumnFamilyHandle nodes;
    private final WriteOptions writeOptions;
    private final LongAdder reads = new LongAdder();
    /** The published frontier; replaced, never mutated, so any thread may read it. */
    private volatile BlockCommitmentFrontier committed;

    HeaderTree(RocksDB db, ColumnFamilyHandle leaves, ColumnFamilyHandle nodes, WriteOptions writeOptions) {
        this.db = db;
        this.leaves = leaves;
        this.nodes = nodes;
        this.writeOptions = writeOptions;
        long covered = storedCount();
        long stored = lastStoredHeight() + 1;
        if (stored < covered) {
            throw new StorageException("header tree covers " + covered + " headers, but only " + stored + " are stored");
        }
        committed = BlockCommitmentFrontier.restore(covered, this::complete);
        // A store written before the tree existed has leaves only: add their subtrees once.
        fill(stored, h -> leaf(h).orElseThrow(() -> new StorageException("header commitment " + h + " is missing")));
    }

    /** Header commitments the tree holds, genesis included: the height of the next decided block. */
    public long size() {
        return committed.size();
    }

    /** The header commitment at {@code height} (height 0: the genesis leaf). */
    public Optional<Bytes32> leaf(long height) {
        if (height == 0) {
            return Optional.of(Bytes32.ZERO);
        }
        byte[] v = get(leaves, NodeStore.heightKey(height));
        return v == null ? Optional.empty() : Optional.of(Bytes32.of(v));
    }

    /** The last header commitment, of height {@code size() - 1}. */
    public Bytes32 tip() {
        return leaf(size() - 1).orElseThrow(() -> new StorageException("the last header commitment is missing"));
    }

    /** A copy of the frontier, to compute roots from and extend in memory. */
    public BlockCommitmentFrontier frontier() {
        return committed.copy();
    }

    /** Subtree roots held in memory: at most 64 at any height. */
    public int retainedNodes() {
        return committed.retainedNodes();
    }

    /** Proof of header {@code height} against the blockCommRoot over the first {@code count} headers. */
    public MerkleProof proof(long height, long count) {
        long covered = size();
        if (count > covered) {
            // A reader may see a block whose write is done but whose frontier is not yet published: the count
            // on disk is in that block's batch.
            covered = storedCount();
        }
        if (count < 1 || count > covered) {
            throw new IndexOutOfBoundsException("count " + count + " outside 1.." + covered);
        }
        return CompleteSubtrees.proof(this::complete, height, count);
    }

    /** Keys read so far (point reads and iterator seeks): the measure of start-up and proof cost. */
    public long reads() {
        return reads.sum();
    }

    /**
     * Adds header {@code height}'s leaf, the subtrees it completes and the new count to {@code batch}, writes the
     * batch and only then publishes the new frontier. A failed write leaves the tree as it was.
     */
    synchronized void write(WriteBatch batch, long height, Bytes32 commitment) throws RocksDBException {
        BlockCommitmentFrontier next = committed.copy();
        add(batch, next, height, commitment);
        putCount(batch, next);
        db.write(writeOptions, batch);
        committed = next;
    }

    /**
     * Appends leaves up to {@code count} headers, {@link #FILL_BATCH} per write batch, without blocks: for a
     * store that has leaves but not their subtrees, and for tests that need a tall tree in seconds.
     */
    synchronized void fill(long count, LongFunction<Bytes32> leafAt) {
        BlockCommitmentFrontier next = committed.copy();
        boolean filled = next.size() < count;
        while (next.size() < count) {
            try (WriteBatch batch = new WriteBatch()) {
                for (int i = 0; i < FILL_BATCH && next.size() < count; i++) {
                    add(batch, next, next.size(), leafAt.apply(next.size()));
                }
                putCount(batch, next);
                db.write(writeOptions, batch);
            } catch (RocksDBException e) {
                throw new StorageException("cannot extend the header tree: " + e.getMessage(), e);
            }
            committed = next.copy();
        }
        if (filled) {
            // A bulk fill is large: flushed now, it is not replayed from the write-ahead log at the next open.
            try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
                db.flush(wait, List.of(leaves, nodes));
            } catch (RocksDBException e) {
                throw new StorageException("cannot flush the header tree: " + e.getMessage(), e);
            }
        }
    }

    private void add(WriteBatch batch, BlockCommitmentFrontier next, long height, Bytes32 commitment) throws RocksDBException {
        if (height != next.size()) {
            throw new StorageException("the next header commitment is of height " + next.size() + ", not " + height);
        }
        List<Completed> completed = new ArrayList<>(2);
        next.append(commitment, (level, position, root) -> completed.add(new Completed(level, position, root)));
        for (Completed c : completed) {
            if (c.level() == 0) {
                batch.put(leaves, NodeStore.heightKey(c.position()), c.root().bytes());
            } else {
                batch.put(nodes, nodeKey(c.level(), c.position()), c.root().bytes());
            }
        }
    }

    private record Completed(int level, long position, Bytes32 root) {
    }

    private void putCount(WriteBatch batch, BlockCommitmentFrontier next) throws RocksDBException {
        batch.put(nodes, KEY_COUNT, ByteBuffer.allocate(8).putLong(next.size()).array());
    }

    private Bytes32 complete(int level, long position) {
        if (level == 0) {
            return leaf(position).orElseThrow(() -> new StorageException("header commitment " + position + " is missing"));
        }
        byte[] v = get(nodes, nodeKey(level, position));
        if (v == null) {
            throw new StorageException("header tree node (" + level + ", " + position + ") is missing");
        }
        return Bytes32.of(v);
    }

    /** The leaf count the stored subtrees cover: 1 (genesis alone) when none are stored. */
    private long storedCount() {
        byte[] count = get(nodes, KEY_COUNT);
        return count == null ? 1 : ByteBuffer.wrap(count).getLong();
    }

    private long lastStoredHeight() {
        reads.increment();
        try (RocksIterator it = db.newIterator(leaves)) {
            it.seekToLast();
            return it.isValid() ? ByteBuffer.wrap(it.key()).getLong() : 0;
        }
    }

    private static byte[] nodeKey(int level, long position) {
        return ByteBuffer.allocate(9).put((byte) level).putLong(position).array();
    }

    private byte[] get(ColumnFamilyHandle family, byte[] key) {
        reads.increment();
        try {
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw new StorageException("read failed: " + e.getMessage(), e);
        }
    }
}
