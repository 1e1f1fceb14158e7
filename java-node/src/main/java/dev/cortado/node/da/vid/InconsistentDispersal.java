package dev.cortado.node.da.vid;

import dev.cortado.protocol.types.Bytes32;
import java.util.List;

/**
 * Evidence that the committed shares do not form one Reed–Solomon codeword: decoding the shares at
 * {@code decodedFrom} and re-encoding gives a different share root.
 *
 * @param mismatchingShareIndexes shares whose committed leaf is known (a share that was given, or the
 *     level-0 sibling in a given share's proof) and differs from the re-encoding
 * @param mismatchingSubtrees when no single committed leaf is known to differ, the smallest committed
 *     subtrees (from the given proofs) that differ from the re-encoding; each contains at least one
 *     inconsistent share
 */
public record InconsistentDispersal(
        Bytes32 vidRoot,
        Bytes32 committedShareRoot,
        Bytes32 reencodedShareRoot,
        List<Integer> decodedFrom,
        List<Integer> mismatchingShareIndexes,
        List<SubtreeMismatch> mismatchingSubtrees) {

    public InconsistentDispersal {
        decodedFrom = List.copyOf(decodedFrom);
        mismatchingShareIndexes = List.copyOf(mismatchingShareIndexes);
        mismatchingSubtrees = List.copyOf(mismatchingSubtrees);
    }

    /** The committed subtree over shares {@code [firstShare, endShare)} at Merkle level {@code level}. */
    public record SubtreeMismatch(int level, int firstShare, int endShare) {
    }
}
