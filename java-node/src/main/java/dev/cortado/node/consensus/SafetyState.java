package dev.cortado.node.consensus;

import dev.cortado.protocol.types.View;
import java.util.Objects;

/**
 * What a replica must persist before any vote leaves it: the highest view in which it voted or timed out,
 * and its lock (the justify QC of the last proposal it voted for). A replica rebuilt from this never votes
 * twice in a view and never votes against its lock.
 */
public record SafetyState(View highestVotedView, QuorumCertificate lockedQc) {
    public SafetyState {
        Objects.requireNonNull(highestVotedView, "highestVotedView");
        Objects.requireNonNull(lockedQc, "lockedQc");
    }

    public static SafetyState initial(long chainId) {
        return new SafetyState(View.ZERO, QuorumCertificate.genesis(chainId));
    }
}
