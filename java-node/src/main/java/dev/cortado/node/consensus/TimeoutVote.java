package dev.cortado.node.consensus;

import dev.cortado.protocol.types.View;
import java.util.Objects;
import java.util.Optional;

/**
 * A replica gave up on {@code view}. It signs the timeout digest of (view, {@code highQc}'s view): its highest
 * QC travels with the vote (so the next leader can extend it) and its view is bound by the signature (so a TC
 * proves the highest QC among its signers). When it entered the view through a TC it carries that TC (so
 * lagging replicas can follow it into the view).
 */
public record TimeoutVote(View view, QuorumCertificate highQc, Optional<TimeoutCertificate> lastTc, int voter,
        Signature signature) {
    public TimeoutVote {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(highQc, "highQc");
        Objects.requireNonNull(lastTc, "lastTc");
        Objects.requireNonNull(signature, "signature");
    }
}
