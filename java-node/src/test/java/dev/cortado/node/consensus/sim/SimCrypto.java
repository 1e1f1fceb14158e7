package dev.cortado.node.consensus.sim;

import dev.cortado.node.consensus.AggregateSignature;
import dev.cortado.node.consensus.ConsensusCrypto;
import dev.cortado.node.consensus.ConsensusSigner;
import dev.cortado.node.consensus.Signature;
import dev.cortado.protocol.types.Bytes32;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;

/**
 * A fast signature scheme that is unforgeable inside one simulation: a signature is SHA-256(key ‖ digest)
 * with a 32-byte key per replica. Only {@link #signerFor} hands a key out, once, to the replica object
 * that owns it; verification recomputes the MAC here without exposing keys. An aggregate is the signer
 * bitmap plus SHA-256 over the signers' MACs in index order.
 */
public final class SimCrypto implements ConsensusCrypto {
    private final byte[][] keys;
    private final MessageDigest sha256;

    public SimCrypto(int n, long seed) {
        Random random = new Random(seed ^ 0x5157C0DEL);
        keys = new byte[n][32];
        for (byte[] key : keys) {
            random.nextBytes(key);
        }
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signer of replica {@code index}; a replica restarted after a crash gets its own key back. */
    public ConsensusSigner signerFor(int index) {
        byte[] key = keys[index].clone();
        MessageDigest own;
        try {
            own = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new ConsensusSigner() {
            @Override
            public int index() {
                return index;
            }

            @Override
            public Signature sign(Bytes32 digest) {
                return new Signature(mac(own, key, digest));
            }
        };
    }

    private static byte[] mac(MessageDigest md, byte[] key, Bytes32 digest) {
        md.reset();
        md.update(key);
        md.update(digest.bytes());
        return md.digest();
    }

    @Override
    public boolean verify(int signer, Bytes32 digest, Signature signature) {
        if (signer < 0 || signer >= keys.length) {
            return false;
        }
        return MessageDigest.isEqual(mac(sha256, keys[signer], digest), signature.bytes());
    }

    @Override
    public AggregateSignature aggregate(Bytes32 digest, SortedMap<Integer, Signature> signatures) {
        BitSet signers = new BitSet(keys.length);
        for (Map.Entry<Integer, Signature> e : signatures.entrySet()) {
            signers.set(e.getKey());
        }
        byte[] combined = combine(signatures.values().stream().map(Signature::bytes).toList());
        return new AggregateSignature(signers, combined);
    }

    private byte[] combine(Iterable<byte[]> macs) {
        sha256.reset();
        for (byte[] m : macs) {
            sha256.update(m);
        }
        return sha256.digest();
    }

    @Override
    public boolean verifyAggregate(Bytes32 digest, AggregateSignature aggregate) {
        BitSet signers = aggregate.signers();
        if (signers.isEmpty() || signers.length() > keys.length) {
            return false;
        }
        java.util.List<byte[]> macs = new java.util.ArrayList<>();
        for (int i = signers.nextSetBit(0); i >= 0; i = signers.nextSetBit(i + 1)) {
            macs.add(mac(sha256, keys[i], digest));
        }
        return Arrays.equals(combine(macs), aggregate.aggregate());
    }

    @Override
    public boolean verifyPartialAggregate(Bytes32 digest, AggregateSignature part) {
        return verifyAggregate(digest, part);
    }

    int size() {
        return keys.length;
    }
}
