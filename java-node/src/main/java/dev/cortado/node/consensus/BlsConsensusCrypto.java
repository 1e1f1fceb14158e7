package dev.cortado.node.consensus;

import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.CertificateVerifier;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSecretKey;
import dev.cortado.protocol.crypto.BlsSignature;
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
    private final StakeTable table;
    /** Whether {@link #verifyAggregate} also demands a quorum of {@code table}'s stake. */
    private final boolean genesisQuorum;

    /** One table for the life of the network: an aggregate verifies only with more than 2/3 of its stake. */
    public BlsConsensusCrypto(StakeTable table) {
        this(table, true);
    }

    private BlsConsensusCrypto(StakeTable table, boolean genesisQuorum) {
        this.table = table;
        this.genesisQuorum = genesisQuorum;
    }

    /**
     * For a network with stake-table epochs: {@code table} gives the universe's keys only, and an aggregate
     * verifies when every signer signed, whatever its stake. A later epoch's quorum is not the genesis one, so
     * the threshold is {@link CertificateValidator}'s alone, which measures each certificate by its own epoch's table
     * before any pairing.
     */
    public static BlsConsensusCrypto overUniverse(StakeTable table) {
        return new BlsConsensusCrypto(table, false);
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
        if (signer < 0 || signer >= table.size()) {
            return false;
        }
        BlsSignature parsed = parse(signature.bytes());
        return parsed != null && Bls.verify(table.entry(signer).key(), digest, parsed);
    }

    @Override
    public AggregateSignature aggregate(Bytes32 digest, SortedMap<Integer, Signature> signatures) {
        BitSet signers = new BitSet(table.size());
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
        if (!genesisQuorum) {
            return verifyPartialAggregate(digest, aggregate);
        }
        AggregateCertificate certificate = toCertificate(digest, aggregate);
        return certificate != null && CertificateVerifier.verify(table, ThresholdKind.QUORUM, digest, certificate)
                .isValid();
    }

    @Override
    public boolean verifyPartialAggregate(Bytes32 digest, AggregateSignature part) {
        BitSet signers = part.signers();
        BlsSignature signature = parse(part.aggregate());
        if (signers.isEmpty() || signers.length() > table.size() || signature == null) {
            return false;
        }
        List<BlsPublicKey> keys = new ArrayList<>(signers.cardinality());
        signers.stream().forEach(i -> keys.add(table.entry(i).key()));
        return Bls.fastAggregateVerify(Bls.sumKeys(keys), digest, signature);
    }

    /** The protocol form of an aggregate over {@code digest}; null when it is malformed. */
    public AggregateCertificate toCertificate(Bytes32 digest, AggregateSignature aggregate) {
        BitSet signers = aggregate.signers();
        if (signers.isEmpty() || signers.length() > table.size()) {
            return null;
        }
        BlsSignature signature = parse(aggregate.aggregate());
        if (signature == null) {
            return null;
        }
        SignerBitmap bitmap = SignerBitmap.of(table.size(), signers.stream().toArray());
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
