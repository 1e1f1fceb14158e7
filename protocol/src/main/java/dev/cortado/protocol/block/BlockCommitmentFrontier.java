package dev.cortado.protocol.block;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.merkle.CompleteSubtrees;
import dev.cortado.protocol.types.Bytes32;
import java.util.Arrays;

/**
 * The right edge of the block-commitment tree: for each level, the root of the last complete subtree
 * there. It gives the same {@code blockCommRoot} as {@link BlockCommitmentLog} from O(log n) state:
 * an append costs at most one hash per level (one on average), a root about log2(n) hashes, and a
 * copy, for computing the root over undecided ancestors, 64 references. It cannot prove old headers;
 * that needs every complete subtree, which {@link #append(Bytes32, CompletedSubtrees)} hands out for a store
 * to keep. Not thread-safe.
 */
public final class BlockCommitmentFrontier {
    private static final int LEVELS = 64;
    private static final Bytes32[] ZERO_SUBTREE = new Bytes32[LEVELS];

    static {
        ZERO_SUBTREE[0] = Bytes32.ZERO;
        for (int k = 1; k < LEVELS; k++) {
            ZERO_SUBTREE[k] = Keccak.hashPair(ZERO_SUBTREE[k - 1], ZERO_SUBTREE[k - 1]);
        }
    }

    /** branch[k] is the last complete subtree of 2^k leaves; meaningful where bit k of count is set. */
    private final Bytes32[] branch;
    private long count;
    private long hashes;

    public BlockCommitmentFrontier() {
        this(new Bytes32[LEVELS], 0);
    }

    private BlockCommitmentFrontier(Bytes32[] branch, long count) {
        this.branch = branch;
        this.count = count;
    }

    /** Told of each subtree an append completes: its level, position (as in {@link CompleteSubtrees}) and root. */
    @FunctionalInterface
    public interface CompletedSubtrees {
        void completed(int level, long position, Bytes32 root);
    }

    /**
     * The frontier of a tree of {@code count} leaves, read from its complete subtrees: for each bit k set in
     * {@code count}, the subtree of level k at position {@code (count >>> k) - 1}, so at most 64 reads.
     */
    public static BlockCommitmentFrontier restore(long count, CompleteSubtrees tree) {
        if (count < 0) {
            throw new IllegalArgumentException("negative leaf count " + count);
        }
        Bytes32[] branch = new Bytes32[LEVELS];
        for (int k = 0; k < LEVELS; k++) {
            if (((count >>> k) & 1) == 1) {
                branch[k] = tree.root(k, (count >>> k) - 1);
            }
        }
        return new BlockCommitmentFrontier(branch, count);
    }

    /** An independent copy (the hash counter starts at zero). */
    public BlockCommitmentFrontier copy() {
        return new BlockCommitmentFrontier(Arrays.copyOf(branch, LEVELS), count);
    }

    /** Headers appended: the height the next header has. */
    public long size() {
        return count;
    }

    /** Keccak pair hashes done by this instance: the test's measure of cost. */
    public long hashes() {
        return hashes;
    }

    /** Subtree roots this instance holds (its whole state besides the count): never more than 64, at any height. */
    public int retainedNodes() {
        int held = 0;
        for (Bytes32 node : branch) {
            if (node != null) {
                held++;
            }
        }
        return held;
    }

    public void append(Bytes32 headerCommitment) {
        append(headerCommitment, (level, position, root) -> { });
    }

    /** Appends and tells {@code sink} of the leaf and of every subtree that becomes complete, lowest first. */
    public void append(Bytes32 headerCommitment, CompletedSubtrees sink) {
        Bytes32 node = headerCommitment;
        long position = count;
        long size = ++count;
        for (int k = 0; k < LEVELS; k++) {
            sink.completed(k, position >>> k, node);
            if ((size & 1) == 1) {
                branch[k] = node;
                return;
            }
            node = pair(branch[k], node);
            size >>>= 1;
        }
        throw new IllegalStateException("frontier is full");
    }

    /** The Merkle root over every header appended, padded with zeros to the next power of two. */
    public Bytes32 merkleRoot() {
        if (count == 0) {
            return Bytes32.ZERO;
        }
        int depth = count == 1 ? 0 : 64 - Long.numberOfLeadingZeros(count - 1);
        if (Long.bitCount(count) == 1) {
            return branch[depth];
        }
        // Walk up from the first empty leaf: a set bit means a complete left sibling, a clear bit zero padding.
        Bytes32 node = ZERO_SUBTREE[0];
        long size = count;
        for (int k = 0; k < depth; k++) {
            node = (size & 1) == 1 ? pair(branch[k], node) : pair(node, ZERO_SUBTREE[k]);
            size >>>= 1;
        }
        return node;
    }

    /** {@code blockCommRoot(size())}, what the header at height {@code size()} carries. */
    public Bytes32 blockCommRoot() {
        return BlockCommitmentLog.blockCommRoot(merkleRoot(), count);
    }

    private Bytes32 pair(Bytes32 left, Bytes32 right) {
        hashes++;
        return Keccak.hashPair(left, right);
    }
}
