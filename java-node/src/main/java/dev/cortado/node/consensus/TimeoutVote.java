package dev.cortado.node.consensus;

import dev.cortado.protocol.types.View;
import java.util.Objects;
import java.util.Optional;

/**
 * A replica gave up on {@code view}. It signs only the timeout digest of the view; it carries its highest QC
 * (so the next leader can extend it) and, when it entered the view through a TC, that TC (so lagging
 * replicas can follow it into the view).
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
