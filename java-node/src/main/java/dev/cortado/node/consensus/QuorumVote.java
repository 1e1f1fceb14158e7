package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.Objects;

/**
 * A replica's signature over the quorum-vote digest of a leaf; sent to the leader of the next view. {@code epoch}
 * names the stake table the vote counts in, and is bound by the digest.
 */
public record QuorumVote(View view, Bytes32 leafCommitment, int voter, Signature signature, long epoch) {
    public QuorumVote {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(leafCommitment, "leafCommitment");
        Objects.requireNonNull(signature, "signature");
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch " + epoch);
        }
    }

    /** A vote of epoch 0 (the only epoch of a network without epochs). */
    public QuorumVote(View view, Bytes32 leafCommitment, int voter, Signature signature) {
        this(view, leafCommitment, voter, signature, 0);
    }
}
