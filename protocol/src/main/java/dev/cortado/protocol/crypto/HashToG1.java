package dev.cortado.protocol.crypto;

import supranational.blst.P1;

/** RFC 9380 hash_to_curve for BLS12-381 G1: expand_message_xmd with SHA-256, SSWU, random oracle. */
public final class HashToG1 {
    private HashToG1() {
    }

    public static G1Point hash(byte[] msg, String dst) {
        if (dst == null || dst.isEmpty() || dst.length() > 255) {
            throw new IllegalArgumentException("a hash-to-curve DST has 1..255 bytes");
        }
        if (!dst.chars().allMatch(c -> c < 0x80)) {
            throw new IllegalArgumentException("a hash-to-curve DST must be ASCII");
        }
        P1 p = new P1().hash_to(msg, dst);
        return G1Point.fromEip2537(Eip2537.g1(p.to_affine()));
    }
}
