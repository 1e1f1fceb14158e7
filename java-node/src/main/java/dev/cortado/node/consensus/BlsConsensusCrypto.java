package dev.cortado.node.consensus;

import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.CertificateVerifier;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSecretKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The real crypto behind the consensus port: BLS12-381 min-sig over the stake table (keys were checked at
 * registration). An {@link AggregateSignature} is the signer bitmap in table order plus the 48-byte
 * compressed G1 aggregate; {@link #toCertificate} turns it into the protocol's {@link AggregateCertificate}
 * (quorum kind) for the light client and L1.
 */
public final class BlsConsensusCrypto implements ConsensusCrypto {
    /** The signers' keys by consensus index. */
    private final List<BlsPublicKey> keys;
    /** The table {@link #verifyAggregate} demands a quorum of; null when each epoch's table owns the threshold. */
    private final StakeTable quorumTable;

    /** One table for the life of the network: an aggregate verifies only with more than 2/3 of its stake. */
    public BlsConsensusCrypto(StakeTable table) {
        this(table.entries().stream().map(StakeEntry::key).toList(), table);
    }

    private BlsConsensusCrypto(List<BlsPublicKey> keys, StakeTable quorumTable) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the universe needs at least one key");
        }
        this.keys = List.copyOf(keys);
        this.quorumTable = quorumTable;
    }

    /**
     * For a network with stake-table epochs: {@code table} gives the universe's keys only, and an aggregate
     * verifies when every signer signed, whatever its stake. A later epoch's quorum is not the genesis one, so
     * the threshold is {@link CertificateValidator}'s alone, which measures each certificate by its own epoch's table
     * before any pairing.
     */
    public static BlsConsensusCrypto overUniverse(StakeTable table) {
        return overUniverse(table.entries().stream().map(StakeEntry::key).toList());
    }

    /**
     * As above from the keys alone, so the universe may hold a peer without stake in the genesis table (a
     * validator that registers on L1 later): index i is {@code universe.get(i)}.
     */
    public static BlsConsensusCrypto overUniverse(List<BlsPublicKey> universe) {
        return new BlsConsensusCrypto(universe, null);
    }

    /** The stake weights of {@code table}, in table order. */
    public static StakeWeights stakeWeights(StakeTable table) {
        long[] stakes = new long[table.size()];
        for (int i = 0; i < stakes.length; i++) {
            stakes[i] = table.entry(i).stakeGwei();
        }
        return new StakeWeights(stakes);
    }

    /** The signer of the replica at {@code index}, holding its secret key. */
    public static ConsensusSigner signer(int index, BlsSecretKey secretKey) {
        return new ConsensusSigner() {
            @Override
            public int index() {
                return index;
            }

            @Override
            public Signature sign(Bytes32 digest) {
                return new Signature(Bls.sign(secretKey, digest).toBytes());
            }
        };
    }

    @Override
    public boolean verify(int signer, Bytes32 digest, Signature signature) {
        if (signer < 0 || signer >= keys.size()) {
            return false;
        }
        BlsSignature parsed = parse(signature.bytes());
        return parsed != null && Bls.verify(keys.get(signer), digest, parsed);
    }

    @Override
    public AggregateSignature aggregate(Bytes32 digest, SortedMap<Integer, Signature> signatures) {
        BitSet signers = new BitSet(keys.size());
        List<BlsSignature> parsed = new ArrayList<>(signatures.size());
        for (Map.Entry<Integer, Signature> e : signatures.entrySet()) {
            BlsSignature s = parse(e.getValue().bytes());
            if (s == null) {
                throw new IllegalArgumentException("signature of " + e.getKey() + " is not a G1 point; verify first");
            }
            signers.set(e.getKey());
            parsed.add(s);
        }
        return new AggregateSignature(signers, Bls.aggregate(parsed).toBytes());
    }

    @Override
    public boolean verifyAggregate(Bytes32 digest, AggregateSignature aggregate) {
        if (quorumTable == null) {
            return verifyPartialAggregate(digest, aggregate);
        }
        AggregateCertificate certificate = toCertificate(digest, aggregate);
        return certificate != null && CertificateVerifier.verify(quorumTable, ThresholdKind.QUORUM, digest, certificate)
                .isValid();
    }

    @Override
    public boolean verifyPartialAggregate(Bytes32 digest, AggregateSignature part) {
        BitSet signers = part.signers();
        BlsSignature signature = parse(part.aggregate());
        if (signers.isEmpty() || signers.length() > keys.size() || signature == null) {
            return false;
        }
        List<BlsPublicKey> signing = new ArrayList<>(signers.cardinality());
        signers.stream().forEach(i -> signing.add(keys.get(i)));
        return Bls.fastAggregateVerify(Bls.sumKeys(signing), digest, signature);
    }

    /** The protocol form of an aggregate over {@code digest}; null when it is malformed. */
    public AggregateCertificate toCertificate(Bytes32 digest, AggregateSignature aggregate) {
        BitSet signers = aggregate.signers();
        if (signers.isEmpty() || signers.length() > keys.size()) {
            return null;
        }
        BlsSignature signature = parse(aggregate.aggregate());
        if (signature == null) {
            return null;
        }
        SignerBitmap bitmap = SignerBitmap.of(keys.size(), signers.stream().toArray());
        return new AggregateCertificate(ThresholdKind.QUORUM, digest, bitmap, signature);
    }

    private static BlsSignature parse(byte[] bytes) {
        try {
            return BlsSignature.fromBytes(bytes);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
