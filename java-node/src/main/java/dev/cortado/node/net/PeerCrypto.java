package dev.cortado.node.net;

/**
 * The BLS operations the handshake needs: sign with the local key and verify a peer's signature.
 * The production implementation is {@link BlsPeerCrypto}.
 */
public interface PeerCrypto {
    PeerKey localKey();

    /** Signs a 32-byte digest; returns a 48-byte compressed G1 signature. */
    byte[] sign(byte[] digest);

    /** True when {@code signature} is a valid signature of {@code digest} under {@code key}. */
    boolean verify(PeerKey key, byte[] digest, byte[] signature);

    /**
     * A secret only this node and {@code peer} can compute: the static Diffie-Hellman point
     * {@code sk_self · pk_peer = sk_peer · pk_self} in G2, compressed (96 bytes). Empty when this
     * crypto cannot (test doubles) or the key is not a valid G2 point; callers then sign instead.
     */
    default java.util.Optional<byte[]> sharedSecret(PeerKey peer) {
        return java.util.Optional.empty();
    }
}
