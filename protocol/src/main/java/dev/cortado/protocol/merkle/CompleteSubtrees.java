package dev.cortado.protocol.merkle;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only tree seen through its complete subtrees: {@code root(level, position)} is the root over the
 * leaves {@code [position·2^level, (position+1)·2^level)}, all of them appended. Such a root never changes once
 * its last leaf is in, and the padding right of the last leaf is known, so roots and proofs for any earlier size
 * need nothing else. That lets a tree kept in RocksDB prove with exactly the bytes of one kept in memory: both
 * run the walks below, only the source of subtree roots differs.
 */
@FunctionalInterface
public interface CompleteSubtrees {
    /** The root of a subtree whose leaves are all appended; asked only for such subtrees. */
    Bytes32 root(int level, long position);

    /** The Merkle root over the first {@code count} leaves (zero for none): at most depth reads. */
    static Bytes32 merkleRoot(CompleteSubtrees tree, long count) {
        if (count == 0) {
            return Bytes32.ZERO;
        }
        return node(tree, MerkleTree.depth(count), 0, count);
    }

    /**
     * Proof for leaf {@code index} against the root over the first {@code count} leaves. Every sibling is a
     * complete subtree (one read), padding (no read) or the one subtree the size cuts, rebuilt along its right
     * edge; so at most 2 × depth reads.
     */
    static MerkleProof proof(CompleteSubtrees tree, long index, long count) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("leaf index " + index + " outside a tree of " + count + " leaves");
        }
        int depth = MerkleTree.depth(count);
        List<Bytes32> siblings = new ArrayList<>(depth);
        for (int k = 0; k < depth; k++) {
            siblings.add(node(tree, k, (index >>> k) ^ 1, count));
        }
        return new MerkleProof(Math.toIntExact(index), Math.toIntExact(count), siblings);
    }

    /** Root of the subtree at (level, pos) in the tree over the first {@code count} leaves. */
    private static Bytes32 node(CompleteSubtrees tree, int level, long pos, long count) {
        long first = pos << level;
        long end = (pos + 1) << level;
        if (first >= count) {
            return MerkleTree.zeroSubtree(level);
        }
        if (end <= count) {
            return tree.root(level, pos);
        }
        // Only the right edge is partial, so this recursion follows a single path.
        return Keccak.hashPair(node(tree, level - 1, 2 * pos, count), node(tree, level - 1, 2 * pos + 1, count));
    }
}
