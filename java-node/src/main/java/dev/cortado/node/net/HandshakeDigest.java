package dev.cortado.node.net;

import org.bouncycastle.jcajce.provider.digest.Keccak;
import java.nio.charset.StandardCharsets;

/**
 * The digest a peer signs to prove it holds its key:
 * {@code keccak256(abi.encode(TAG_p2p-handshake, chainId, bytes32 verifierNonce, bytes32
 * proverNonce, keccak256(proverKey)))} with {@code TAG_p2p-handshake =
 * keccak256("cortado/p2p-handshake/v1")}. The verifier's fresh nonce makes every signature
 * single-use: a recorded handshake cannot be replayed on a new connection.
 */
public final class HandshakeDigest {
  static final byte[] TAG = keccak(("cortado/p2p-handshake/v1").getBytes(StandardCharsets.UTF_8));

  private HandshakeDigest() {}

  public static byte[] compute(byte[] chainId, byte[] verifierNonce, byte[] proverNonce, PeerKey proverKey) {
    byte[] encoded = new byte[32 * 5];
    System.arraycopy(TAG, 0, encoded, 0, 32);
    System.arraycopy(chainId, 0, encoded, 32, 32);
    System.arraycopy(verifierNonce, 0, encoded, 64, 32);
    System.arraycopy(proverNonce, 0, encoded, 96, 32);
    System.arraycopy(keccak(proverKey.bytes()), 0, encoded, 128, 32);
    return keccak(encoded);
  }

  static byte[] keccak(byte[] input) {
    return new Keccak.Digest256().digest(input);
  }
}
