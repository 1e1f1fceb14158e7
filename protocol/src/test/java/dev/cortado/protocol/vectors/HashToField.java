package dev.cortado.protocol.vectors;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9380 hash_to_field for BLS12-381 G1 (expand_message_xmd with SHA-256, L = 64, count = 2).
 * blst does this internally; the vectors expose u0 and u1 so that the Solidity side, which must
 * build H(m) = MAP_FP_TO_G1(u0) + MAP_FP_TO_G1(u1) from precompiles, can check each stage.
 */
final class HashToField {
    static final BigInteger P = new BigInteger(
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", 16);
    private static final int L = 64;

    private HashToField() {
    }

    static BigInteger[] hashToField(byte[] msg, String dst) {
        byte[] uniform = expandMessageXmd(msg, dst.getBytes(StandardCharsets.US_ASCII), 2 * L);
        BigInteger[] u = new BigInteger[2];
        for (int i = 0; i < 2; i++) {
            byte[] chunk = java.util.Arrays.copyOfRange(uniform, i * L, (i + 1) * L);
            u[i] = new BigInteger(1, chunk).mod(P);
        }
        return u;
    }

    static byte[] expandMessageXmd(byte[] msg, byte[] dst, int lenInBytes) {
        if (dst.length > 255 || lenInBytes > 255 * 32) {
            throw new IllegalArgumentException("DST or output length too long for expand_message_xmd");
        }
        int ell = (lenInBytes + 31) / 32;
        byte[] dstPrime = concat(dst, new byte[] {(byte) dst.length});
        byte[] msgPrime = concat(new byte[64], msg, new byte[] {(byte) (lenInBytes >> 8), (byte) lenInBytes, 0},
                dstPrime);
        byte[] b0 = sha256(msgPrime);
        byte[] out = new byte[ell * 32];
        byte[] prev = sha256(concat(b0, new byte[] {1}, dstPrime));
        System.arraycopy(prev, 0, out, 0, 32);
        for (int i = 2; i <= ell; i++) {
            byte[] x = new byte[32];
            for (int j = 0; j < 32; j++) {
                x[j] = (byte) (b0[j] ^ prev[j]);
            }
            prev = sha256(concat(x, new byte[] {(byte) i}, dstPrime));
            System.arraycopy(prev, 0, out, (i - 1) * 32, 32);
        }
        return java.util.Arrays.copyOf(out, lenInBytes);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** A field element as EIP-2537 takes it: 64 bytes, big-endian, left-padded. */
    static byte[] fpEip2537(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[64];
        int len = Math.min(raw.length, 64);
        System.arraycopy(raw, raw.length - len, out, 64 - len, len);
        return out;
    }
}
