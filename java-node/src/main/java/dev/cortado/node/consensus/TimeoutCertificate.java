package dev.cortado.node.consensus;

import dev.cortado.protocol.types.View;
import java.util.List;
import java.util.Objects;

/**
 * More than 2/3 of stake gave up on {@code view}. Each signer signed the timeout digest of (view, its own
 * high-QC view), so the signatures aggregate per high-QC view into {@link Part}s, in ascending order of that
 * view. {@code highQc} must be at least as new as the highest signed high-QC view: the certificate proves
 * that no signer knew a newer QC (Jolteon), which is what lets a replica vote for a proposal that extends
 * {@code highQc} whatever its own lock. {@code epoch} is the signers' table (the high QC may be of the epoch
 * before, when it certifies that epoch's decided handover leaf).
 */
public record TimeoutCertificate(View view, QuorumCertificate highQc, List<Part> parts, long epoch) {
    /** The signers whose high QC was of {@code highQcView}, aggregated over one digest. */
    public record Part(View highQcView, AggregateSignature signature) {
        public Part {
            Objects.requireNonNull(highQcView, "highQcView");
            Objects.requireNonNull(signature, "signature");
        }
    }

    public TimeoutCertificate {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(highQc, "highQc");
        parts = List.copyOf(parts);
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch " + epoch);
        }
        if (!highQc.view().isBefore(view)) {
            throw new IllegalArgumentException("a TC for " + view + " cannot carry a QC from " + highQc.view());
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a TC needs at least one part");
        }
        for (int i = 0; i < parts.size(); i++) {
            View hv = parts.get(i).highQcView();
            if (!hv.isBefore(view) || (i > 0 && !hv.isAfter(parts.get(i - 1).highQcView()))) {
                throw new IllegalArgumentException("TC parts must have ascending high-QC views before " + view);
            }
        }
    }

    /** A TC of epoch 0. */
    public TimeoutCertificate(View view, QuorumCertificate highQc, List<Part> parts) {
        this(view, highQc, parts, 0);
    }

    /** A TC of epoch 0 whose signers all named the high QC it carries. */
    public TimeoutCertificate(View view, QuorumCertificate highQc, AggregateSignature signature) {
        this(view, highQc, List.of(new Part(highQc.view(), signature)));
    }

    /** The highest high-QC view any signer signed. */
    public View highestSignedView() {
        return parts.getLast().highQcView();
    }
}
