package dev.cortado.protocol.crypto;

import dev.cortado.protocol.types.Hex;
import java.util.Arrays;
import supranational.blst.P2_Affine;

/**
 * A public key in G2. Keys from outside come in through {@link #fromBytes} or {@link #fromEip2537},
 * which check curve, subgroup and infinity once; sums of checked keys need no further check.
 */
public final class BlsPublicKey {
    public static final int COMPRESSED_BYTES = 96;
    public static final int EIP2537_BYTES = Eip2537.G2_BYTES;

    private final P2_Affine point;
    private volatile byte[] compressed;

    private BlsPublicKey(P2_Affine point, byte[] compressed) {
        this.point = point;
        this.compressed = compressed;
    }

    /** For points produced by blst from checked inputs (secret-key multiples, sums of checked keys). */
    static BlsPublicKey fromTrustedPoint(P2_Affine point) {
        return new BlsPublicKey(point, null);
    }

    public static BlsPublicKey fromBytes(byte[] compressedKey) {
        if (compressedKey == null || compressedKey.length != COMPRESSED_BYTES) {
            throw new IllegalArgumentException("a compressed BLS public key has 96 bytes, got "
                    + (compressedKey == null ? "null" : compressedKey.length));
        }
        byte[] copy = compressedKey.clone();
        if ((copy[0] & 0x80) == 0) {
            throw new IllegalArgumentException("BLS public key is not in compressed form");
        }
        P2_Affine p = Eip2537.parse(() -> new P2_Affine(copy));
        check(p);
        return new BlsPublicKey(p, copy);
    }

    public static BlsPublicKey fromHex(String hex) {
        return fromBytes(Hex.decode(hex));
    }

    public static BlsPublicKey fromEip2537(byte[] encoded) {
        P2_Affine p = Eip2537.parseG2(encoded);
        check(p);
        return new BlsPublicKey(p, null);
    }

    private static void check(P2_Affine p) {
        if (p.is_inf()) {
            throw new IllegalArgumentException("BLS public key is the point at infinity");
        }
        if (!p.on_curve()) {
            throw new IllegalArgumentException("BLS public key is not on the curve");
        }
        if (!p.in_group()) {
            throw new IllegalArgumentException("BLS public key is not in the G2 subgroup");
        }
    }

    P2_Affine point() {
        return point;
    }

    public boolean isInfinity() {
        return point.is_inf();
    }

    public byte[] toBytes() {
        byte[] c = compressed;
        if (c == null) {
            c = point.compress();
            compressed = c;
        }
        return c.clone();
    }

    /** The 256-byte form the L1 precompiles take: x.c0, x.c1, y.c0, y.c1, each padded to 64 bytes. */
    public byte[] toEip2537() {
        return Eip2537.g2(point);
    }

    public String toHex() {
        return Hex.encode(toBytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlsPublicKey other && Arrays.equals(toBytes(), other.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return "BlsPublicKey(" + toHex().substring(0, 18) + "…)";
    }
}
