package dev.cortado.protocol.crypto;

import java.math.BigInteger;
import supranational.blst.SecretKey;

/** A BLS12-381 secret scalar. Never printed. */
public final class BlsSecretKey {
    public static final int SEED_BYTES = 32;
    public static final int BYTES = 32;
    /** The order r of the BLS12-381 groups. */
    static final BigInteger GROUP_ORDER =
            new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);

    private final SecretKey key;

    private BlsSecretKey(SecretKey key) {
        this.key = key;
    }

    /** Derives a key from a 32-byte seed with blst's keygen (IETF KeyGen, HKDF-SHA256). */
    public static BlsSecretKey fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("a BLS key seed has exactly 32 bytes");
        }
        SecretKey sk = new SecretKey();
        sk.keygen(seed);
        return new BlsSecretKey(sk);
    }

    /** Parses a big-endian scalar; it must lie in [1, r). */
    public static BlsSecretKey fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("a BLS secret key has exactly 32 bytes");
        }
        BigInteger s = new BigInteger(1, bytes);
        if (s.signum() == 0 || s.compareTo(GROUP_ORDER) >= 0) {
            throw new IllegalArgumentException("BLS secret key out of range [1, r)");
        }
        SecretKey sk = new SecretKey();
        sk.from_bendian(bytes);
        return new BlsSecretKey(sk);
    }

    public byte[] toBytes() {
        return key.to_bendian();
    }

    SecretKey blst() {
        return key;
    }

    public BlsPublicKey publicKey() {
        return BlsPublicKey.fromTrustedPoint(new supranational.blst.P2(key).to_affine());
    }

    @Override
    public String toString() {
        return "BlsSecretKey(redacted)";
    }
}
