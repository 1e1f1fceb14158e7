package dev.cortado.node.consensus;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Proof that epoch {@code epoch}'s handover leaf is decided, for a replica still voting in that epoch: the leaves
 * from the handover leaf (at {@code lastHeight(epoch)}) up to the two-chain's child, ascending and contiguous
 * (between them only empty suffix leaves), the epoch's QC on the handover leaf (what the next epoch builds on; empty
 * when the deciding replica did not hold it, having fetched the leaf after it) and its QC on the last leaf (the
 * commit QC: the last two leaves form a two-chain). All of it is checked against the table of {@code epoch}.
 */
public record HandoverProof(long epoch, Optional<QuorumCertificate> handoverQc, QuorumCertificate commitQc,
        List<Leaf> leaves) {
    public HandoverProof {
        Objects.requireNonNull(handoverQc, "handoverQc");
        Objects.requireNonNull(commitQc, "commitQc");
        leaves = List.copyOf(leaves);
        if (leaves.size() < 2) {
            throw new IllegalArgumentException("a handover proof needs the handover leaf and a child of it");
        }
    }
}
