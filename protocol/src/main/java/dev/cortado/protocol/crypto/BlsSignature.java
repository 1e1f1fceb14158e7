package dev.cortado.protocol.crypto;

import dev.cortado.protocol.types.Hex;
import java.util.Arrays;
import supranational.blst.P1_Affine;

/** A signature (or aggregate signature) in G1, 48 bytes compressed. */
public final class BlsSignature {
    public static final int COMPRESSED_BYTES = 48;
    public static final int EIP2537_BYTES = Eip2537.G1_BYTES;

    private final P1_Affine point;
    private final byte[] compressed;

    private BlsSignature(P1_Affine point, byte[] compressed) {
        this.point = point;
        this.compressed = compressed;
    }

    static BlsSignature fromTrustedPoint(P1_Affine point) {
        return new BlsSignature(point, point.compress());
    }

    /** Parses a compressed signature, rejecting points off the curve, outside G1, or at infinity. */
    public static BlsSignature fromBytes(byte[] compressedSig) {
        if (compressedSig == null || compressedSig.length != COMPRESSED_BYTES) {
            throw new IllegalArgumentException("a compressed BLS signature has 48 bytes, got "
                    + (compressedSig == null ? "null" : compressedSig.length));
        }
        byte[] copy = compressedSig.clone();
        if ((copy[0] & 0x80) == 0) {
            throw new IllegalArgumentException("BLS signature is not in compressed form");
        }
        P1_Affine p = Eip2537.parse(() -> new P1_Affine(copy));
        if (p.is_inf()) {
            throw new IllegalArgumentException("BLS signature is the point at infinity");
        }
        if (!p.on_curve() || !p.in_group()) {
            throw new IllegalArgumentException("BLS signature is not in the G1 subgroup");
        }
        return new BlsSignature(p, copy);
    }

    public static BlsSignature fromHex(String hex) {
        return fromBytes(Hex.decode(hex));
    }

    P1_Affine point() {
        return point;
    }

    public byte[] toBytes() {
        return compressed.clone();
    }

    /** The 128-byte form the L1 precompiles take: x, y, each padded to 64 bytes. */
    public byte[] toEip2537() {
        return Eip2537.g1(point);
    }

    public String toHex() {
        return Hex.encode(compressed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlsSignature other && Arrays.equals(compressed, other.compressed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(compressed);
    }

    @Override
    public String toString() {
        return "BlsSignature(" + toHex().substring(0, 18) + "…)";
    }
}
