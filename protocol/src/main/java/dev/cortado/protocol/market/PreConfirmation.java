package dev.cortado.protocol.market;

import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A sequencer's signed promise that transaction {@code txHash} of {@code namespace} is at {@code position} of its
 * bundle {@code sequence} for {@code window}, decided no later than slot {@code expirySlot} (the bundle's expiry).
 * The signature is over
 * <pre>
 * keccak256(abi.encode(TAG_PRECONF, uint256 chainId, address marketplace, bytes32 txHash, uint64 namespace,
 *                      uint64 window, uint64 sequence, uint32 position, uint64 expirySlot))
 * TAG_PRECONF = keccak256("cortado/preconf/v1")
 * </pre>
 * The tag keeps the digest apart from bundle digests and bid commitments; chain id and marketplace keep a promise
 * made on one network meaningless on another.
 */
public record PreConfirmation(long chainId, Address marketplace, Bytes32 txHash, long namespace, long window, long sequence,
                              int position, long expirySlot) {
    public static final Bytes32 TAG_PRECONF = Keccak.hash("cortado/preconf/v1".getBytes(StandardCharsets.US_ASCII));

    public PreConfirmation {
        if (marketplace == null || txHash == null) throw new IllegalArgumentException("marketplace and txHash required");
        if (chainId <= 0 || namespace < 0 || window < 0 || sequence < 0 || position < 0 || expirySlot < 0) {
            throw new IllegalArgumentException("pre-confirmation fields must not be negative (chain id positive)");
        }
    }

    public Bytes32 digest() {
        return Abi.encoder().bytes32(TAG_PRECONF).uint256(chainId).address(marketplace).bytes32(txHash).uint64(namespace)
                .uint64(window).uint64(sequence).uint64(position).uint64(expirySlot).hash();
    }

    public Signed sign(Secp256k1.KeyPair key) {
        return new Signed(this, Secp256k1.sign(digest(), key));
    }

    /** A pre-confirmation with its signature; the signer is recovered, never claimed. */
    public record Signed(PreConfirmation preconf, Secp256k1.Signature signature) {
        public Optional<Address> signer() {
            return Secp256k1.recover(preconf.digest(), signature);
        }
    }
}
