package dev.cortado.protocol.cert;

import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;

/** Builds certificates for tests, vectors and benchmarks by signing with the fixture keys. */
public final class CertFixtures {
    private CertFixtures() {
    }

    /** A certificate signed by exactly the bitmap's signers (valid or not depending on stake). */
    public static AggregateCertificate sign(List<BlsKeyPair> keys, ThresholdKind kind, Bytes32 digest,
            SignerBitmap signers) {
        List<BlsSignature> sigs = signers.signers().mapToObj(i -> Bls.sign(keys.get(i).secretKey(), digest)).toList();
        return new AggregateCertificate(kind, digest, signers, Bls.aggregate(sigs));
    }
}
