package dev.cortado.node.storage;

/**
 * The consensus state that must survive a crash so a restarted node never votes twice:
 * the highest view it voted in (quorum or timeout vote) and the core's own encoding of the rest
 * (locked QC, high QC), which the store keeps opaque.
 */
public record SafetyState(long highestVotedView, byte[] coreState) {
    public SafetyState {
        if (highestVotedView < 0) {
            throw new IllegalArgumentException("highestVotedView is non-negative");
        }
    }
}
