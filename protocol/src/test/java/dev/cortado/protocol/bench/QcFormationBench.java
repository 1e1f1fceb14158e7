package dev.cortado.protocol.bench;

import dev.cortado.protocol.cert.AggregateCertificate;
import dev.cortado.protocol.cert.SignatureAccumulator;
import dev.cortado.protocol.cert.ThresholdKind;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
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

/**
 * Forming a QC from n incoming votes: the leader's {@link SignatureAccumulator} verifies each vote and
 * aggregates once the threshold is crossed; {@code aggregateOnly} is the aggregation step alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QcFormationBench {
    @Param({"10", "100", "200"})
    public int n;

    private StakeTable table;
    private Bytes32 digest;
    private List<BlsSignature> votes;

    @Setup(Level.Trial)
    public void setUp() {
        List<BlsKeyPair> pairs = StakeFixtures.keys(n);
        table = StakeFixtures.table(pairs);
        digest = Keccak.hash(new byte[] {9, (byte) n});
        votes = new ArrayList<>();
        for (BlsKeyPair kp : pairs) {
            votes.add(Bls.sign(kp.secretKey(), digest));
        }
    }

    @Benchmark
    public AggregateCertificate accumulateUntilCertified() {
        SignatureAccumulator acc = new SignatureAccumulator(table, ThresholdKind.QUORUM, digest);
        for (int i = 0; i < n; i++) {
            if (acc.add(i, votes.get(i)).status() == SignatureAccumulator.Status.CERTIFIED) {
                return acc.certificate().orElseThrow();
            }
        }
        throw new IllegalStateException("no certificate from " + n + " valid votes");
    }

    @Benchmark
    public BlsSignature aggregateOnly() {
        return Bls.aggregate(votes);
    }
}
