package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.Objects;

/**
 * More than 2/3 of the stake of {@code epoch}'s table signed the quorum-vote digest of {@code leafCommitment} in
 * {@code view}; it is checked against that table, whatever the epoch of the replica checking it.
 */
public record QuorumCertificate(View view, Bytes32 leafCommitment, AggregateSignature signature, long epoch) {
    public QuorumCertificate {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(leafCommitment, "leafCommitment");
        Objects.requireNonNull(signature, "signature");
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch " + epoch);
        }
    }

    /** A certificate of epoch 0. */
    public QuorumCertificate(View view, Bytes32 leafCommitment, AggregateSignature signature) {
        this(view, leafCommitment, signature, 0);
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
