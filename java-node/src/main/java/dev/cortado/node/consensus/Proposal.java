package dev.cortado.node.consensus;

import java.util.Objects;
import java.util.Optional;

/**
 * A leader's proposal. {@code justifyQc} certifies the parent leaf. After a timeout it also carries
 * {@code viewChange}, the TC of the previous view, and {@code justifyQc} must be at least the TC's high QC.
 * The leader signs the quorum-vote digest of the leaf: the proposal signature doubles as the leader's
 * vote, and two proposals signed in one view are equivocation evidence on their own.
 */
public record Proposal(Leaf leaf, QuorumCertificate justifyQc, Optional<TimeoutCertificate> viewChange,
        int proposer, Signature signature) {
    public Proposal {
        Objects.requireNonNull(leaf, "leaf");
        Objects.requireNonNull(justifyQc, "justifyQc");
        Objects.requireNonNull(viewChange, "viewChange");
        Objects.requireNonNull(signature, "signature");
    }
}
