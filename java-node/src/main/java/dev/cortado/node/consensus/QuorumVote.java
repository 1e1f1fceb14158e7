package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.Objects;

/** A replica's signature over the quorum-vote digest of a leaf; sent to the leader of the next view. */
public record QuorumVote(View view, Bytes32 leafCommitment, int voter, Signature signature) {
    public QuorumVote {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(leafCommitment, "leafCommitment");
        Objects.requireNonNull(signature, "signature");
    }
}
