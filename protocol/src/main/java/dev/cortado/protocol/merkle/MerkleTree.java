package dev.cortado.protocol.merkle;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary keccak tree of docs/architecture.md: leaves padded with bytes32(0) to the next power of
 * two, inner node {@code keccak256(left ‖ right)}, root of one leaf is the leaf, root of none is zero.
 */
public final class MerkleTree {
    /** Leaf counts are ints; depth never exceeds 31, so zero-subtree hashes up to 32 suffice. */
    static final int MAX_DEPTH = 32;
    private static final Bytes32[] ZERO_SUBTREE = new Bytes32[MAX_DEPTH + 1];

    static {
        ZERO_SUBTREE[0] = Bytes32.ZERO;
        for (int k = 1; k <= MAX_DEPTH; k++) {
            ZERO_SUBTREE[k] = Keccak.hashPair(ZERO_SUBTREE[k - 1], ZERO_SUBTREE[k - 1]);
        }
    }

    private MerkleTree() {
    }

    /** Root of the subtree of height {@code level} whose leaves are all zero padding. */
    static Bytes32 zeroSubtree(int level) {
        return ZERO_SUBTREE[level];
    }

    /** Number of levels above the leaves: ceil(log2(leafCount)), 0 for one leaf. */
    public static int depth(long leafCount) {
        if (leafCount < 1) {
            throw new IllegalArgumentException("a tree with a proof needs at least one leaf, got " + leafCount);
        }
        return leafCount == 1 ? 0 : 64 - Long.numberOfLeadingZeros(leafCount - 1);
    }

    public static Bytes32 root(List<Bytes32> leaves) {
        if (leaves.isEmpty()) {
            return Bytes32.ZERO;
        }
        List<Bytes32> level = List.copyOf(leaves);
        for (int k = 0; level.size() > 1; k++) {
            level = parents(level, k);
        }
        return level.getFirst();
    }

    public static MerkleProof proof(List<Bytes32> leaves, int index) {
        int n = leaves.size();
        if (index < 0 || index >= n) {
            throw new IndexOutOfBoundsException("leaf index " + index + " outside a tree of " + n + " leaves");
        }
        List<Bytes32> siblings = new ArrayList<>();
        List<Bytes32> level = List.copyOf(leaves);
        int pos = index;
        for (int k = 0; level.size() > 1; k++) {
            int sibling = pos ^ 1;
            siblings.add(sibling < level.size() ? level.get(sibling) : zeroSubtree(k));
            level = parents(level, k);
            pos >>= 1;
        }
        return new MerkleProof(index, n, siblings);
    }

    /** One level up; an odd last node pairs with the zero subtree of its level (the padding). */
    private static List<Bytes32> parents(List<Bytes32> level, int k) {
        List<Bytes32> up = new ArrayList<>((level.size() + 1) / 2);
        for (int i = 0; i < level.size(); i += 2) {
            Bytes32 right = i + 1 < level.size() ? level.get(i + 1) : zeroSubtree(k);
            up.add(Keccak.hashPair(level.get(i), right));
        }
        return up;
    }
}
