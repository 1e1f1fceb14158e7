package dev.cortado.node.consensus;

import dev.cortado.protocol.types.View;
import java.util.Objects;

/**
 * More than 2/3 of stake signed the timeout digest of {@code view}. The signatures cover only the view, so
 * they aggregate into one; {@code highQc} is the highest QC the assembler saw and is verified on its own.
 */
public record TimeoutCertificate(View view, QuorumCertificate highQc, AggregateSignature signature) {
    public TimeoutCertificate {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(highQc, "highQc");
        Objects.requireNonNull(signature, "signature");
        if (!highQc.view().isBefore(view)) {
            throw new IllegalArgumentException("a TC for " + view + " cannot carry a QC from " + highQc.view());
        }
    }
}
