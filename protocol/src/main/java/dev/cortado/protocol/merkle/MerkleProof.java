package dev.cortado.protocol.merkle;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;

/**
 * Membership proof for leaf {@code index} in a tree of {@code leafCount} leaves: the siblings from the
 * leaf upward. Bit k of the index says whether the node at level k is a right child.
 */
public record MerkleProof(int index, int leafCount, List<Bytes32> siblings) {
    public MerkleProof {
        if (leafCount < 1) {
            throw new IllegalArgumentException("leafCount must be at least 1, got " + leafCount);
        }
        if (index < 0 || index >= leafCount) {
            throw new IllegalArgumentException("index " + index + " outside a tree of " + leafCount + " leaves");
        }
        siblings = List.copyOf(siblings);
        int depth = MerkleTree.depth(leafCount);
        if (siblings.size() != depth) {
            throw new IllegalArgumentException("a tree of " + leafCount + " leaves needs " + depth
                    + " siblings, got " + siblings.size());
        }
    }

    /** The root this proof yields for {@code leaf}. */
    public Bytes32 computeRoot(Bytes32 leaf) {
        Bytes32 node = leaf;
        for (int k = 0; k < siblings.size(); k++) {
            boolean isRight = ((index >>> k) & 1) == 1;
            node = isRight ? Keccak.hashPair(siblings.get(k), node) : Keccak.hashPair(node, siblings.get(k));
        }
        return node;
    }

    public boolean verify(Bytes32 leaf, Bytes32 root) {
        return computeRoot(leaf).equals(root);
    }
}
