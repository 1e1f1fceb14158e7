package dev.cortado.protocol.bench;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeFixtures;
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

/**
 * What a node pays to check n separate light-client signatures on one state digest (each arrives
 * on its own, so unlike {@link QcVerifyBench} nothing is pre-aggregated): sum the signatures and
 * the keys and run one pairing check, against n single verifications.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LcBatchBench {
    @Param({"100"})
    public int n;

    private List<BlsPublicKey> keys;
    private List<BlsSignature> signatures;
    private Bytes32 digest;

    @Setup(Level.Trial)
    public void setUp() {
        List<BlsKeyPair> pairs = StakeFixtures.keys(n);
        keys = pairs.stream().map(BlsKeyPair::publicKey).toList();
        digest = Keccak.hash(new byte[] {9, (byte) n});
        signatures = pairs.stream().map(p -> Bls.sign(p.secretKey(), digest)).toList();
        if (!aggregateVerify() || !oneByOne()) {
            throw new IllegalStateException("benchmark fixture does not verify");
        }
    }

    @Benchmark
    public boolean aggregateVerify() {
        return Bls.fastAggregateVerify(Bls.sumKeys(keys), digest, Bls.aggregate(signatures));
    }

    @Benchmark
    public boolean oneByOne() {
        boolean all = true;
        for (int i = 0; i < n; i++) {
            all &= Bls.verify(keys.get(i), digest, signatures.get(i));
        }
        return all;
    }
}
