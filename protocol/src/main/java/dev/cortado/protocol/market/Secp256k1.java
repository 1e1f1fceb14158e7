package dev.cortado.protocol.market;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Ethereum-style secp256k1 signatures: deterministic (RFC 6979) signing, low-s only, and recovery of the
 * signer's address from (r, s, v). BouncyCastle has the curve arithmetic and ECDSA but no public-key
 * recovery; web3j has recovery but may not be used below the settlement adapter, so recovery (SEC 1 §4.1.6)
 * is written here on BouncyCastle's point arithmetic.
 */
public final class Secp256k1 {
    private static final X9ECParameters CURVE_PARAMS = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters CURVE = new ECDomainParameters(
            CURVE_PARAMS.getCurve(), CURVE_PARAMS.getG(), CURVE_PARAMS.getN(), CURVE_PARAMS.getH());
    private static final BigInteger N = CURVE.getN();
    private static final BigInteger HALF_N = N.shiftRight(1);

    private Secp256k1() {
    }

    /** A recoverable signature; {@code v} is 27 or 28 as Ethereum wallets produce. */
    public record Signature(BigInteger r, BigInteger s, int v) {
        public static final int ENCODED_BYTES = 65;

        public Signature {
            if (r == null || s == null) throw new IllegalArgumentException("signature r and s must be present");
        }

        /** r (32 bytes) ‖ s (32 bytes) ‖ v (1 byte), the layout of {@code eth_signTypedData_v4}. */
        public byte[] encode() {
            byte[] out = new byte[ENCODED_BYTES];
            copyWord(r, out, 0);
            copyWord(s, out, 32);
            out[64] = (byte) v;
            return out;
        }

        public static Signature decode(byte[] encoded) {
            if (encoded == null || encoded.length != ENCODED_BYTES) {
                throw new IllegalArgumentException("a secp256k1 signature is 65 bytes (r, s, v), got "
                        + (encoded == null ? "null" : encoded.length));
            }
            int v = encoded[64] & 0xff;
            // One signature, one encoding: bundle ids and evidence compare bytes, so 0/1 is not accepted for 27/28.
            if (v != 27 && v != 28) throw new IllegalArgumentException("signature v must be 27 or 28, got " + v);
            return new Signature(new BigInteger(1, Arrays.copyOfRange(encoded, 0, 32)),
                    new BigInteger(1, Arrays.copyOfRange(encoded, 32, 64)), v);
        }

        private static void copyWord(BigInteger value, byte[] out, int offset) {
            byte[] raw = value.toByteArray();
            int skip = raw.length > 32 ? raw.length - 32 : 0;
            System.arraycopy(raw, skip, out, offset + 32 - (raw.length - skip), raw.length - skip);
        }
    }

    /** A secret key with its address; the key must be in [1, n-1]. */
    public record KeyPair(BigInteger secret, Address address) {
        @Override
        public String toString() {
            return "KeyPair[address=" + address.toHex() + "]"; // never print the secret
        }
    }

    public static KeyPair keyPair(BigInteger secret) {
        if (secret == null || secret.signum() <= 0 || secret.compareTo(N) >= 0) {
            throw new IllegalArgumentException("a secp256k1 secret key must be in [1, n-1]");
        }
        ECPoint pub = new FixedPointCombMultiplier().multiply(CURVE.getG(), secret).normalize();
        return new KeyPair(secret, addressOf(pub));
    }

    public static Signature sign(Bytes32 digest, KeyPair key) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(key.secret(), CURVE));
        BigInteger[] rs = signer.generateSignature(digest.bytes());
        BigInteger r = rs[0];
        BigInteger s = rs[1].compareTo(HALF_N) > 0 ? N.subtract(rs[1]) : rs[1];
        for (int recId = 0; recId < 2; recId++) {
            Optional<Address> who = recover(digest, r, s, recId);
            if (who.isPresent() && who.get().equals(key.address())) return new Signature(r, s, 27 + recId);
        }
        // r ≥ p − n has probability ~2^-127; such a signature cannot be recovered from v ∈ {27, 28}.
        throw new IllegalStateException("signature not recoverable with v in {27, 28}");
    }

    /**
     * The address that produced {@code sig} over {@code digest}, or empty for a malformed signature. High-s
     * signatures are refused so that one signed message has exactly one valid encoding.
     */
    public static Optional<Address> recover(Bytes32 digest, Signature sig) {
        if (sig.v() != 27 && sig.v() != 28) return Optional.empty();
        if (sig.s().compareTo(HALF_N) > 0) return Optional.empty();
        return recover(digest, sig.r(), sig.s(), sig.v() - 27);
    }

    private static Optional<Address> recover(Bytes32 digest, BigInteger r, BigInteger s, int recId) {
        if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
            return Optional.empty();
        }
        BigInteger p = CURVE.getCurve().getField().getCharacteristic();
        if (r.compareTo(p) >= 0) return Optional.empty();
        byte[] compressed = new byte[33];
        compressed[0] = (byte) (0x02 | (recId & 1));
        byte[] x = r.toByteArray();
        int skip = x.length > 32 ? x.length - 32 : 0;
        System.arraycopy(x, skip, compressed, 33 - (x.length - skip), x.length - skip);
        ECPoint bigR;
        try {
            bigR = CURVE.getCurve().decodePoint(compressed);
        } catch (IllegalArgumentException notOnCurve) {
            return Optional.empty();
        }
        BigInteger e = new BigInteger(1, digest.bytes());
        BigInteger rInv = r.modInverse(N);
        BigInteger u1 = e.negate().multiply(rInv).mod(N);
        BigInteger u2 = s.multiply(rInv).mod(N);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(CURVE.getG(), u1, bigR, u2).normalize();
        if (q.isInfinity()) return Optional.empty();
        return Optional.of(addressOf(q));
    }

    private static Address addressOf(ECPoint point) {
        byte[] uncompressed = point.getEncoded(false);
        Bytes32 h = Keccak.hash(Arrays.copyOfRange(uncompressed, 1, uncompressed.length));
        return new Address(Arrays.copyOfRange(h.bytes(), 12, 32));
    }
}
