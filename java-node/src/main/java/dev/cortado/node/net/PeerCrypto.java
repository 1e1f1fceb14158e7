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
}
