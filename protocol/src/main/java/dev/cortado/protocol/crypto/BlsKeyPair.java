package dev.cortado.protocol.crypto;

/** A secret key with its public key. */
public record BlsKeyPair(BlsSecretKey secretKey, BlsPublicKey publicKey) {
    public static BlsKeyPair fromSeed(byte[] seed) {
        BlsSecretKey sk = BlsSecretKey.fromSeed(seed);
        return new BlsKeyPair(sk, sk.publicKey());
    }

    @Override
    public String toString() {
        return "BlsKeyPair(" + publicKey + ")";
    }
}
