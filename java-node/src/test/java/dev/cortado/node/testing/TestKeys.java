package dev.cortado.node.testing;

import dev.cortado.protocol.crypto.BlsKeyPair;

/** Deterministic BLS key pairs for tests (seed = index repeated). */
public final class TestKeys {
    private TestKeys() {}

    public static BlsKeyPair keyPair(int index) {
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) (index + 1));
        seed[0] = (byte) 0xC0;
        return BlsKeyPair.fromSeed(seed);
    }
}
