package dev.cortado.protocol.crypto;

import dev.cortado.protocol.codec.Digests;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;
import supranational.blst.BLST_ERROR;
import supranational.blst.P1;
import supranational.blst.P2;
import supranational.blst.Pairing;

/**
 * BLS12-381 min-sig (signatures in G1, keys in G2) with proof of possession. Every message is a
 * 32-byte digest from {@link Digests}.
 */
public final class Bls {
    public static final String SIGNATURE_DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_POP_";
    public static final String POP_DST = "BLS_POP_BLS12381G1_XMD:SHA-256_SSWU_RO_POP_";

    private Bls() {
    }

    public static BlsSignature sign(BlsSecretKey sk, Bytes32 digest) {
        return signWithDst(sk, digest.bytes(), SIGNATURE_DST);
    }

    public static boolean verify(BlsPublicKey pk, Bytes32 digest, BlsSignature sig) {
        return pairingCheck(pk, digest.bytes(), sig, SIGNATURE_DST);
    }

    /**
     * Verifies {@code sig} against a key that is the sum of the signers' keys (from
     * {@link #sumKeys}): one hash-to-curve and one two-pairing product, whatever the number of signers.
     */
    public static boolean fastAggregateVerify(BlsPublicKey aggregateKey, Bytes32 digest, BlsSignature sig) {
        return pairingCheck(aggregateKey, digest.bytes(), sig, SIGNATURE_DST);
    }

    /** Sum of signatures; each was checked when parsed, so the sum needs no subgroup check. */
    public static BlsSignature aggregate(List<BlsSignature> signatures) {
        if (signatures.isEmpty()) {
            throw new IllegalArgumentException("cannot aggregate an empty list of signatures");
        }
        P1 acc = new P1(signatures.getFirst().point());
        for (int i = 1; i < signatures.size(); i++) {
            acc.add(signatures.get(i).point());
        }
        return BlsSignature.fromTrustedPoint(acc.to_affine());
    }

    /**
     * Sum of public keys that were validated when they entered the system (registration, PoP).
     * It adds points without blst's aggregate(), which would re-run the subgroup check per key.
     * The result may be infinity for adversarial inputs; verification then fails.
     */
    public static BlsPublicKey sumKeys(List<BlsPublicKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("cannot sum an empty list of public keys");
        }
        P2 acc = new P2(keys.getFirst().point());
        for (int i = 1; i < keys.size(); i++) {
            acc.add(keys.get(i).point());
        }
        return BlsPublicKey.fromTrustedPoint(acc.to_affine());
    }

    /** {@code a - b}: used by verifiers that start from the whole table's key and remove non-signers. */
    public static BlsPublicKey subtractKeys(BlsPublicKey a, List<BlsPublicKey> b) {
        P2 acc = new P2(a.point());
        for (BlsPublicKey k : b) {
            acc.add(new P2(k.point()).neg());
        }
        return BlsPublicKey.fromTrustedPoint(acc.to_affine());
    }

    /**
     * Proof of possession for registering {@code pk} from {@code registrant} in the StakeTable
     * contract {@code stakeTable} on L1 chain {@code l1ChainId}.
     */
    public static BlsSignature popProve(BlsSecretKey sk, long l1ChainId, Address stakeTable, Address registrant,
            BlsPublicKey pk) {
        return signWithDst(sk, Digests.pop(l1ChainId, stakeTable, registrant, pk.toEip2537()).bytes(), POP_DST);
    }

    public static boolean popVerify(BlsPublicKey pk, long l1ChainId, Address stakeTable, Address registrant,
            BlsSignature pop) {
        return pairingCheck(pk, Digests.pop(l1ChainId, stakeTable, registrant, pk.toEip2537()).bytes(), pop, POP_DST);
    }

    private static BlsSignature signWithDst(BlsSecretKey sk, byte[] msg, String dst) {
        P1 h = new P1().hash_to(msg, dst);
        return BlsSignature.fromTrustedPoint(h.sign_with(sk.blst()).to_affine());
    }

    /** {@code e(sig, g2) == e(H(msg), pk)}; blst checks the signature's subgroup, the key was checked before. */
    private static boolean pairingCheck(BlsPublicKey pk, byte[] msg, BlsSignature sig, String dst) {
        if (pk.isInfinity()) {
            return false;
        }
        Pairing ctx = new Pairing(true, dst);
        BLST_ERROR err = ctx.aggregate(pk.point(), sig.point(), msg);
        if (err != BLST_ERROR.BLST_SUCCESS) {
            return false;
        }
        ctx.commit();
        return ctx.finalverify();
    }
}
