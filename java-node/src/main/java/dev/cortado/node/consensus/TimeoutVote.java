package dev.cortado.node.consensus;

import dev.cortado.protocol.types.View;
import java.util.Objects;
import java.util.Optional;

/**
 * A replica gave up on {@code view}. It signs the timeout digest of (view, {@code highQc}'s view): its highest
 * QC travels with the vote (so the next leader can extend it) and its view is bound by the signature (so a TC
 * proves the highest QC among its signers). When it entered the view through a TC it carries that TC (so
 * lagging replicas can follow it into the view). {@code epoch} is the voter's epoch, bound by the digest.
 */
public record TimeoutVote(View view, QuorumCertificate highQc, Optional<TimeoutCertificate> lastTc, int voter,
        Signature signature, long epoch) {
    public TimeoutVote {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(highQc, "highQc");
        Objects.requireNonNull(lastTc, "lastTc");
        Objects.requireNonNull(signature, "signature");
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch " + epoch);
        }
    }

    /** A timeout vote of epoch 0. */
    public TimeoutVote(View view, QuorumCertificate highQc, Optional<TimeoutCertificate> lastTc, int voter,
            Signature signature) {
        this(view, highQc, lastTc, voter, signature, 0);
    }
}
