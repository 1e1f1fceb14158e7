package dev.cortado.protocol.merkle;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;

/**
 * Append-only Merkle tree with the same roots as {@link MerkleTree#root}. Each append hashes at most
 * one node per level; roots and proofs cost O(log n) hashes, also for any earlier size, so the
 * block-commitment tree can prove a header against the root a light client certified at that size.
 * Not thread-safe.
 */
public final class MerkleAccumulator {
    /** levels.get(k).get(p) is the root of the complete subtree of leaves [p·2^k, (p+1)·2^k). */
    private final List<List<Bytes32>> levels = new ArrayList<>();

    public MerkleAccumulator() {
        levels.add(new ArrayList<>());
    }

    public static MerkleAccumulator of(List<Bytes32> leaves) {
        MerkleAccumulator acc = new MerkleAccumulator();
        leaves.forEach(acc::append);
        return acc;
    }

    public int size() {
        return levels.getFirst().size();
    }

    /** Appends a leaf and returns its index. */
    public int append(Bytes32 leaf) {
        if (size() == Integer.MAX_VALUE) {
            throw new IllegalStateException("accumulator is full");
        }
        levels.getFirst().add(leaf);
        int pos = size() - 1;
        Bytes32 node = leaf;
        for (int k = 0; (pos & 1) == 1; k++) {
            node = Keccak.hashPair(levels.get(k).get(pos - 1), node);
            pos >>= 1;
            if (levels.size() == k + 1) {
                levels.add(new ArrayList<>());
            }
            levels.get(k + 1).add(node);
        }
        return size() - 1;
    }

    public Bytes32 leaf(int index) {
        return levels.getFirst().get(index);
    }

    public Bytes32 root() {
        return root(size());
    }

    /** The root the tree had when it held its first {@code count} leaves. */
    public Bytes32 root(int count) {
        checkCount(count);
        return CompleteSubtrees.merkleRoot(this::complete, count);
    }

    public MerkleProof proof(int index) {
        return proof(index, size());
    }

    /** Proof for leaf {@code index} against {@link #root(int) root(count)}. */
    public MerkleProof proof(int index, int count) {
        checkCount(count);
        return CompleteSubtrees.proof(this::complete, index, count);
    }

    private void checkCount(int count) {
        if (count < 0 || count > size()) {
            throw new IndexOutOfBoundsException("count " + count + " outside 0.." + size());
        }
    }

    private Bytes32 complete(int level, long pos) {
        return levels.get(level).get(Math.toIntExact(pos));
    }
}
