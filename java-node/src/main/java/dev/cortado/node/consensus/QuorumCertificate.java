package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.Objects;

/** More than 2/3 of stake signed the quorum-vote digest of {@code leafCommitment} in {@code view}. */
public record QuorumCertificate(View view, Bytes32 leafCommitment, AggregateSignature signature) {
    public QuorumCertificate {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(leafCommitment, "leafCommitment");
        Objects.requireNonNull(signature, "signature");
    }

    /** The unsigned certificate of the genesis leaf (view 0). */
    public static QuorumCertificate genesis(long chainId) {
        return new QuorumCertificate(View.ZERO, Leaf.genesis(chainId).commitment(), AggregateSignature.GENESIS);
    }

    public boolean isGenesis() {
        return view.value() == 0;
    }

    /** The higher of two certificates by view (ties keep {@code this}). */
    public QuorumCertificate max(QuorumCertificate other) {
        return other.view.isAfter(view) ? other : this;
    }
}
