package dev.cortado.protocol.codec;

import dev.cortado.protocol.types.Bytes32;
import org.bouncycastle.crypto.digests.KeccakDigest;

/** Ethereum's keccak256 (the original Keccak padding, not SHA3-256). */
public final class Keccak {
    private Keccak() {
    }

    /** keccak256 of the concatenation of {@code parts}. */
    public static Bytes32 hash(byte[]... parts) {
        KeccakDigest digest = new KeccakDigest(256);
        for (byte[] part : parts) {
            digest.update(part, 0, part.length);
        }
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return new Bytes32(out);
    }

    /** keccak256 of {@code a ‖ b}, the inner node of every Merkle tree. */
    public static Bytes32 hashPair(Bytes32 a, Bytes32 b) {
        return hash(Abi.encodePacked(a, b));
    }
}
