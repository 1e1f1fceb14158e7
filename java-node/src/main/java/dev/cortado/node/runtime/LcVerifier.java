package dev.cortado.node.runtime;

import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;

/**
 * The pairing checks behind light-client signature collection, counted: each call is one
 * hash-to-curve and one two-pairing product (about 1.4 ms), so the counts are the cost, and tests
 * assert on them rather than on time. Event-thread only, hence plain longs.
 */
final class LcVerifier {
    private long singleChecks;
    private long aggregateChecks;

    boolean one(BlsPublicKey key, Bytes32 digest, BlsSignature signature) {
        singleChecks++;
        return Bls.verify(key, digest, signature);
    }

    /**
     * All of {@code signatures} (same message, {@code keys.get(i)} signed {@code signatures.get(i)})
     * in one check. Keys carry a proof of possession, so a sum that verifies means every signer's
     * share is accounted for; colluding signers could only offset each other's shares, which still
     * yields a valid aggregate of their own keys.
     */
    boolean all(List<BlsPublicKey> keys, Bytes32 digest, List<BlsSignature> signatures) {
        aggregateChecks++;
        return Bls.fastAggregateVerify(Bls.sumKeys(keys), digest, Bls.aggregate(signatures));
    }

    long singleChecks() {
        return singleChecks;
    }

    long aggregateChecks() {
        return aggregateChecks;
    }
}
