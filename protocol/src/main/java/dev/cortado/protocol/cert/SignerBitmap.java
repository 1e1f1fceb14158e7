package dev.cortado.protocol.cert;

import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * Which entries of a stake table signed, in table order. The byte form is {@code ceil(size/8)} bytes,
 * bit i at byte i/8, bit position i%8 (least significant first); unused high bits must be zero.
 */
public final class SignerBitmap {
    private final int size;
    private final BitSet bits;

    private SignerBitmap(int size, BitSet bits) {
        this.size = size;
        this.bits = bits;
    }

    public static SignerBitmap empty(int size) {
        if (size < 1 || size > dev.cortado.protocol.stake.StakeTable.MAX_ENTRIES) {
            throw new IllegalArgumentException("bitmap size out of range: " + size);
        }
        return new SignerBitmap(size, new BitSet(size));
    }

    public static SignerBitmap of(int size, int... indices) {
        SignerBitmap b = empty(size);
        for (int i : indices) {
            b.checkIndex(i);
            b.bits.set(i);
        }
        return b;
    }

    /** Every index in {@code [0, size)} set. */
    public static SignerBitmap full(int size) {
        SignerBitmap b = empty(size);
        b.bits.set(0, size);
        return b;
    }

    public static SignerBitmap fromBytes(byte[] encoded, int size) {
        SignerBitmap b = empty(size);
        if (encoded.length != byteLength(size)) {
            throw new IllegalArgumentException("a bitmap over " + size + " entries has " + byteLength(size)
                    + " bytes, got " + encoded.length);
        }
        BitSet bits = BitSet.valueOf(encoded);
        if (bits.length() > size) {
            throw new IllegalArgumentException("bitmap sets bit " + (bits.length() - 1) + " beyond size " + size);
        }
        return new SignerBitmap(size, bits);
    }

    public static int byteLength(int size) {
        return (size + 7) / 8;
    }

    public SignerBitmap with(int index) {
        checkIndex(index);
        BitSet copy = (BitSet) bits.clone();
        copy.set(index);
        return new SignerBitmap(size, copy);
    }

    public SignerBitmap without(int index) {
        checkIndex(index);
        BitSet copy = (BitSet) bits.clone();
        copy.clear(index);
        return new SignerBitmap(size, copy);
    }

    public boolean get(int index) {
        checkIndex(index);
        return bits.get(index);
    }

    public int size() {
        return size;
    }

    public int count() {
        return bits.cardinality();
    }

    /** Set indices in ascending order. */
    public IntStream signers() {
        return bits.stream();
    }

    /** Clear indices in ascending order. */
    public IntStream nonSigners() {
        return IntStream.range(0, size).filter(i -> !bits.get(i));
    }

    public byte[] toBytes() {
        return Arrays.copyOf(bits.toByteArray(), byteLength(size));
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("signer index " + index + " outside a table of " + size);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignerBitmap other && size == other.size && bits.equals(other.bits);
    }

    @Override
    public int hashCode() {
        return 31 * size + bits.hashCode();
    }

    @Override
    public String toString() {
        return "SignerBitmap(" + count() + "/" + size + ")";
    }
}
