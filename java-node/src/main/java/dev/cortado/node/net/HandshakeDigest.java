package dev.cortado.node.net;

import dev.cortado.protocol.codec.Keccak;
import java.nio.charset.StandardCharsets;

/**
 * The digest a peer signs to prove it holds its key:
 * {@code keccak256(abi.encode(TAG_p2p-handshake, chainId, bytes32 verifierNonce, bytes32
 * proverNonce, keccak256(proverKey)))} with {@code TAG_p2p-handshake =
 * keccak256("cortado/p2p-handshake/v1")}. The verifier's fresh nonce makes every signature
 * single-use: a recorded handshake cannot be replayed on a new connection. The key is the 96-byte
 * compressed G2 form. Every part is already a 32-byte word, so abi.encode is concatenation.
 */
public final class HandshakeDigest {
    static final byte[] TAG = Keccak.hash("cortado/p2p-handshake/v1".getBytes(StandardCharsets.UTF_8)).bytes();

    private HandshakeDigest() {}

    public static byte[] compute(byte[] chainId, byte[] verifierNonce, byte[] proverNonce, PeerKey proverKey) {
        byte[] keyHash = Keccak.hash(proverKey.bytes()).bytes();
        return Keccak.hash(TAG, chainId, verifierNonce, proverNonce, keyHash).bytes();
    }
}
