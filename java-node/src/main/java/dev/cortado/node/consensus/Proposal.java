package dev.cortado.node.consensus;

import java.util.Objects;
import java.util.Optional;

/**
 * A leader's proposal. {@code justifyQc} certifies the parent leaf. After a timeout it also carries
 * {@code viewChange}, the TC of the previous view, and {@code justifyQc} must be at least the TC's high QC.
 * The leader signs the quorum-vote digest of the leaf: the proposal signature doubles as the leader's
 * vote, and two proposals signed in one view are equivocation evidence on their own. {@code epoch} is the table
 * the proposer leads in (bound by the signature, which is a quorum vote of that epoch).
 */
public record Proposal(Leaf leaf, QuorumCertificate justifyQc, Optional<TimeoutCertificate> viewChange,
        int proposer, Signature signature, long epoch) {
    public Proposal {
        Objects.requireNonNull(leaf, "leaf");
        Objects.requireNonNull(justifyQc, "justifyQc");
        Objects.requireNonNull(viewChange, "viewChange");
        Objects.requireNonNull(signature, "signature");
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch " + epoch);
        }
    }

    /** A proposal of epoch 0. */
    public Proposal(Leaf leaf, QuorumCertificate justifyQc, Optional<TimeoutCertificate> viewChange, int proposer,
            Signature signature) {
        this(leaf, justifyQc, viewChange, proposer, signature, 0);
    }
}
