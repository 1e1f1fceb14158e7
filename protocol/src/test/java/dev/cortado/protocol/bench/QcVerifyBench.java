package dev.cortado.protocol.bench;

import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.CertFixtures;
import dev.cortado.protocol.cert.CertificateVerifier;
import dev.cortado.protocol.cert.SignerBitmap;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.cert.Verdict;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import supranational.blst.P2;
import supranational.blst.P2_Affine;

/**
 * Verifying a quorum certificate signed by every one of n validators: summing the pre-checked keys
 * with plain point additions plus one pairing check, the full {@link CertificateVerifier} path (with
 * one validator in ten absent), and, for comparison, summing with blst's aggregate(), which re-checks
 * each key's subgroup membership.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QcVerifyBench {
    @Param({"10", "100", "200"})
    public int n;

    private List<BlsPublicKey> keys;
    private List<P2_Affine> rawKeys;
    private Bytes32 digest;
    private BlsSignature allSigned;
    private StakeTable table;
    private AggregateCertificate certificate;

    @Setup(Level.Trial)
    public void setUp() {
        List<BlsKeyPair> pairs = StakeFixtures.keys(n);
        keys = pairs.stream().map(BlsKeyPair::publicKey).toList();
        rawKeys = keys.stream().map(k -> new P2_Affine(k.toBytes())).toList();
        table = StakeFixtures.table(pairs);
        digest = Keccak.hash(new byte[] {7, (byte) n});
        allSigned = CertFixtures.sign(pairs, ThresholdKind.QUORUM, digest, SignerBitmap.full(n)).signature();
        SignerBitmap signers = SignerBitmap.full(n);
        for (int i = 0; i < n; i += 10) {
            signers = signers.without(i);
        }
        certificate = CertFixtures.sign(pairs, ThresholdKind.QUORUM, digest, signers);
        if (!CertificateVerifier.verify(table, certificate).isValid()
                || !Bls.fastAggregateVerify(Bls.sumKeys(keys), digest, allSigned)) {
            throw new IllegalStateException("benchmark fixture does not verify");
        }
    }

    @Benchmark
    public boolean sumKeysAndPairing() {
        return Bls.fastAggregateVerify(Bls.sumKeys(keys), digest, allSigned);
    }

    @Benchmark
    public Verdict certificateVerifier() {
        return CertificateVerifier.verify(table, certificate);
    }

    @Benchmark
    public P2 sumKeysWithSubgroupRecheck() {
        P2 acc = new P2();
        for (P2_Affine k : rawKeys) {
            acc.aggregate(k);
        }
        return acc;
    }

    @Benchmark
    public BlsPublicKey sumKeysOnly() {
        return Bls.sumKeys(keys);
    }
}
