package dev.cortado.node.consensus;

import java.util.Arrays;
import java.util.HexFormat;

/** An opaque single-signer signature (48-byte BLS G1 in the real node, a MAC in the simulator). */
public record Signature(byte[] bytes) {
    public static final int MAX_BYTES = 256;

    public Signature {
        if (bytes == null || bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("signature needs 1.." + MAX_BYTES + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signature other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Signature(" + HexFormat.of().formatHex(bytes, 0, Math.min(8, bytes.length)) + "..)";
    }
}
