package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import java.util.SortedMap;

/**
 * The verification side of consensus crypto, shared by every replica: one vote, aggregation, and one
 * aggregate. Stake and thresholds are not its business ({@link StakeWeights} counts the signers). The
 * real node implements it over BLS12-381 and the stake table; the simulator over keyed MACs.
 */
public interface ConsensusCrypto {
    boolean verify(int signer, Bytes32 digest, Signature signature);

    /** Combines signatures that were each verified already; keys of {@code signatures} are signer indices. */
    AggregateSignature aggregate(Bytes32 digest, SortedMap<Integer, Signature> signatures);

    /** True when every signer marked in {@code aggregate} signed {@code digest}. */
    boolean verifyAggregate(Bytes32 digest, AggregateSignature aggregate);

    /**
     * True when every signer marked in {@code part} signed {@code digest}, whatever their stake: one part of a
     * timeout certificate, whose parts sign different digests and only together reach a quorum.
     */
    boolean verifyPartialAggregate(Bytes32 digest, AggregateSignature part);
}
