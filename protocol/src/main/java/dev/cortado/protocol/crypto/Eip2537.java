package dev.cortado.protocol.crypto;

import supranational.blst.P1_Affine;
import supranational.blst.P2_Affine;

/**
 * Conversions between blst's uncompressed serialisation and the EIP-2537 precompile encoding.
 * EIP-2537 pads each 48-byte field element to 64 bytes and writes Fp2 as (c0, c1); blst writes Fp2
 * as (c1, c0) and keeps flags in the top bits of the first byte. Infinity is all zeros on L1.
 */
final class Eip2537 {
    static final int FP_BYTES = 48;
    static final int PADDED_FP_BYTES = 64;
    static final int G1_BYTES = 2 * PADDED_FP_BYTES;
    static final int G2_BYTES = 4 * PADDED_FP_BYTES;
    private static final int PAD = PADDED_FP_BYTES - FP_BYTES;

    private Eip2537() {
    }

    static byte[] g1(P1_Affine p) {
        byte[] out = new byte[G1_BYTES];
        if (p.is_inf()) {
            return out;
        }
        byte[] raw = p.serialize();
        // raw = x ‖ y, 48 bytes each; finite points carry no flag bits.
        System.arraycopy(raw, 0, out, PAD, FP_BYTES);
        System.arraycopy(raw, FP_BYTES, out, PADDED_FP_BYTES + PAD, FP_BYTES);
        return out;
    }

    static byte[] g2(P2_Affine p) {
        byte[] out = new byte[G2_BYTES];
        if (p.is_inf()) {
            return out;
        }
        byte[] raw = p.serialize();
        // raw = x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0; EIP-2537 wants x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1.
        int[] rawSlotForOut = {1, 0, 3, 2};
        for (int i = 0; i < 4; i++) {
            System.arraycopy(raw, rawSlotForOut[i] * FP_BYTES, out, i * PADDED_FP_BYTES + PAD, FP_BYTES);
        }
        return out;
    }

    /** Parses an EIP-2537 G2 point; checks padding and that it is on the curve, not the subgroup. */
    static P2_Affine parseG2(byte[] in) {
        if (in.length != G2_BYTES) {
            throw new IllegalArgumentException("an EIP-2537 G2 point has 256 bytes, got " + in.length);
        }
        byte[] raw = new byte[4 * FP_BYTES];
        int[] inSlotForRaw = {1, 0, 3, 2};
        for (int i = 0; i < 4; i++) {
            int from = inSlotForRaw[i] * PADDED_FP_BYTES;
            checkPadding(in, from);
            System.arraycopy(in, from + PAD, raw, i * FP_BYTES, FP_BYTES);
        }
        if (isAllZero(raw)) {
            raw[0] = 0x40; // blst's infinity flag
        }
        return parse(() -> new P2_Affine(raw));
    }

    static P1_Affine parseG1(byte[] in) {
        if (in.length != G1_BYTES) {
            throw new IllegalArgumentException("an EIP-2537 G1 point has 128 bytes, got " + in.length);
        }
        byte[] raw = new byte[2 * FP_BYTES];
        for (int i = 0; i < 2; i++) {
            checkPadding(in, i * PADDED_FP_BYTES);
            System.arraycopy(in, i * PADDED_FP_BYTES + PAD, raw, i * FP_BYTES, FP_BYTES);
        }
        if (isAllZero(raw)) {
            raw[0] = 0x40;
        }
        return parse(() -> new P1_Affine(raw));
    }

    static <T> T parse(java.util.function.Supplier<T> decoder) {
        try {
            return decoder.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid curve point encoding: " + e.getMessage(), e);
        }
    }

    private static void checkPadding(byte[] in, int from) {
        for (int j = 0; j < PAD; j++) {
            if (in[from + j] != 0) {
                throw new IllegalArgumentException("EIP-2537 field element has non-zero padding");
            }
        }
    }

    private static boolean isAllZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
