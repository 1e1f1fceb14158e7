package dev.cortado.protocol.types;

import java.util.Arrays;

/** A 20-byte Ethereum address. */
public record Address(byte[] bytes) {
    public static final int LENGTH = 20;

    public Address {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("an address needs exactly 20 bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        bytes = bytes.clone();
    }

    public static Address fromHex(String hex) {
        return new Address(Hex.decode(hex, LENGTH));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public String toHex() {
        return Hex.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
