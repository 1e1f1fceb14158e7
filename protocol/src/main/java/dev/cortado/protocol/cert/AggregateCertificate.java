package dev.cortado.protocol.cert;

import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.types.Bytes32;
import java.util.Objects;

/** An aggregate signature over {@code digest} by the {@code signers} of a stake table. */
public record AggregateCertificate(ThresholdKind kind, Bytes32 digest, SignerBitmap signers, BlsSignature signature) {
    public AggregateCertificate {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(signers, "signers");
        Objects.requireNonNull(signature, "signature");
    }
}
