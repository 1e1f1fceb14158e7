package dev.cortado.settlement.auction.solver;

import java.math.BigInteger;

/**
 * A set of rollup indexes 0..255 as four 64-bit words, the same bitmap a bid's {@code uint256 bundle}
 * holds on L1 (bit i = rollup index i). Immutable; the solver's hot loop works on the words directly.
 */
public record Bundle(long w0, long w1, long w2, long w3) {
    public static final int MAX_ROLLUPS = 256;
    public static final Bundle EMPTY = new Bundle(0, 0, 0, 0);

    /** The bundle of a {@code uint256} bitmap; fails for negative values or values of more than 256 bits. */
    public static Bundle of(BigInteger bits) {
        if (bits.signum() < 0 || bits.bitLength() > MAX_ROLLUPS) {
            throw new IllegalArgumentException("a bundle is a uint256 bitmap, got " + bits);
        }
        return new Bundle(bits.longValue(), bits.shiftRight(64).longValue(), bits.shiftRight(128).longValue(),
                bits.shiftRight(192).longValue());
    }

    /** The bundle holding exactly {@code indexes}. */
    public static Bundle ofIndexes(int... indexes) {
        long[] w = new long[4];
        for (int i : indexes) {
            if (i < 0 || i >= MAX_ROLLUPS) throw new IllegalArgumentException("rollup index must be 0..255, got " + i);
            w[i >>> 6] |= 1L << (i & 63);
        }
        return new Bundle(w[0], w[1], w[2], w[3]);
    }

    /** The bundle of the first {@code count} rollups (0..count-1). */
    public static Bundle firstN(int count) {
        if (count < 0 || count > MAX_ROLLUPS) throw new IllegalArgumentException("count must be 0..256, got " + count);
        long[] w = new long[4];
        for (int i = 0; i < count; i++) {
            w[i >>> 6] |= 1L << (i & 63);
        }
        return new Bundle(w[0], w[1], w[2], w[3]);
    }

    public BigInteger toBigInteger() {
        return unsigned(w3).shiftLeft(192).or(unsigned(w2).shiftLeft(128)).or(unsigned(w1).shiftLeft(64)).or(unsigned(w0));
    }

    private static BigInteger unsigned(long w) {
        return new BigInteger(Long.toUnsignedString(w));
    }

    public boolean isEmpty() {
        return (w0 | w1 | w2 | w3) == 0;
    }

    public boolean intersects(Bundle o) {
        return ((w0 & o.w0) | (w1 & o.w1) | (w2 & o.w2) | (w3 & o.w3)) != 0;
    }

    /** True when every rollup of this bundle is in {@code o}. */
    public boolean within(Bundle o) {
        return ((w0 & ~o.w0) | (w1 & ~o.w1) | (w2 & ~o.w2) | (w3 & ~o.w3)) == 0;
    }

    public Bundle union(Bundle o) {
        return new Bundle(w0 | o.w0, w1 | o.w1, w2 | o.w2, w3 | o.w3);
    }

    public int size() {
        return Long.bitCount(w0) + Long.bitCount(w1) + Long.bitCount(w2) + Long.bitCount(w3);
    }

    public boolean contains(int index) {
        return (word(index >>> 6) >>> (index & 63) & 1) == 1;
    }

    /** The lowest rollup index in the bundle, or -1 when it is empty. */
    public int lowest() {
        if (w0 != 0) return Long.numberOfTrailingZeros(w0);
        if (w1 != 0) return 64 + Long.numberOfTrailingZeros(w1);
        if (w2 != 0) return 128 + Long.numberOfTrailingZeros(w2);
        if (w3 != 0) return 192 + Long.numberOfTrailingZeros(w3);
        return -1;
    }

    /** The rollup indexes in ascending order. */
    public int[] indexes() {
        int[] out = new int[size()];
        int k = 0;
        for (int i = 0; i < MAX_ROLLUPS; i++) {
            if (contains(i)) out[k++] = i;
        }
        return out;
    }

    long word(int i) {
        return switch (i) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            case 3 -> w3;
            default -> throw new IndexOutOfBoundsException(i);
        };
    }

    @Override
    public String toString() {
        return "0x" + toBigInteger().toString(16);
    }
}
