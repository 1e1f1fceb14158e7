package dev.cortado.node.net;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A peer's identity on the wire: its compressed BLS public key (96 bytes, G2). Equality is by
 * value so keys can index maps.
 */
public final class PeerKey {
    public static final int BYTES = 96;
    private final byte[] bytes;
    private final int hash;

    private PeerKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static PeerKey of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("peer key must be " + BYTES + " bytes, got " + bytes.length);
        }
        return new PeerKey(bytes.clone());
    }

    public static PeerKey fromHex(String hex) {
        String h = hex.startsWith("0x") ? hex.substring(2) : hex;
        return of(HexFormat.of().parseHex(h));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    /** A short form for logs. */
    public String shortHex() {
        return HexFormat.of().formatHex(bytes, 0, 6);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "PeerKey[" + shortHex() + "]";
    }
}
