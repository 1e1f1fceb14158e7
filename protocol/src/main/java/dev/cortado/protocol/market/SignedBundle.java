package dev.cortado.protocol.market;

import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.util.Optional;

/** A bundle with its sequencer's signature. The signer is recovered, never claimed. */
public record SignedBundle(Bundle bundle, Secp256k1.Signature signature) {
    public SignedBundle {
        if (bundle == null || signature == null) throw new IllegalArgumentException("bundle and signature required");
    }

    public Bytes32 id() {
        return bundle.digest();
    }

    /** The address that signed this bundle, or empty when the signature is malformed or high-s. */
    public Optional<Address> signer() {
        return Secp256k1.recover(bundle.digest(), signature);
    }
}
