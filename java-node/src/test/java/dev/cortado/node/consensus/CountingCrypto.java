package dev.cortado.node.consensus;

import dev.cortado.protocol.types.Bytes32;
import java.util.SortedMap;

/** Wraps a crypto and counts the expensive calls: each stands for at least one pairing in BLS. */
final class CountingCrypto implements ConsensusCrypto {
    private final ConsensusCrypto inner;
    long verifies;
    long aggregateVerifies;

    CountingCrypto(ConsensusCrypto inner) {
        this.inner = inner;
    }

    long pairingCalls() {
        return verifies + aggregateVerifies;
    }

    @Override
    public boolean verify(int signer, Bytes32 digest, Signature signature) {
        verifies++;
        return inner.verify(signer, digest, signature);
    }

    @Override
    public boolean verifyPartialAggregate(Bytes32 digest, AggregateSignature part) {
        aggregateVerifies++;
        return inner.verifyPartialAggregate(digest, part);
    }

    @Override
    public AggregateSignature aggregate(Bytes32 digest, SortedMap<Integer, Signature> signatures) {
        return inner.aggregate(digest, signatures);
    }

    @Override
    public boolean verifyAggregate(Bytes32 digest, AggregateSignature aggregate) {
        aggregateVerifies++;
        return inner.verifyAggregate(digest, aggregate);
    }
}
