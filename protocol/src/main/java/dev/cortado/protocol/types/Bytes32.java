package dev.cortado.protocol.types;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable 32-byte value (hash, root, commitment). Hex form is 0x-prefixed lowercase. */
public record Bytes32(byte[] bytes) implements Comparable<Bytes32> {
    public static final int LENGTH = 32;
    public static final Bytes32 ZERO = new Bytes32(new byte[LENGTH]);

    public Bytes32 {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("Bytes32 needs exactly 32 bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        bytes = bytes.clone();
    }

    public static Bytes32 of(byte[] bytes) {
        return new Bytes32(bytes);
    }

    /** Parses 64 hex digits, with or without a leading 0x. */
    public static Bytes32 fromHex(String hex) {
        return new Bytes32(Hex.decode(hex, LENGTH));
    }

    /** A copy: callers can never change this value. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Copies the value into {@code dest} at {@code offset} without allocating. */
    public void copyTo(byte[] dest, int offset) {
        System.arraycopy(bytes, 0, dest, offset, LENGTH);
    }

    public boolean isZero() {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    public String toHex() {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes32 other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Bytes32 o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
