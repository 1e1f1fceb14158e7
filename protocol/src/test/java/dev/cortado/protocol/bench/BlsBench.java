package dev.cortado.protocol.bench;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.crypto.Bls;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.crypto.BlsSignature;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.types.Bytes32;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One signature and one verification over a 32-byte digest. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BlsBench {
    private BlsKeyPair key;
    private Bytes32 digest;
    private BlsSignature signature;

    @Setup(Level.Trial)
    public void setUp() {
        key = StakeFixtures.key(0);
        digest = Keccak.hash(new byte[] {42});
        signature = Bls.sign(key.secretKey(), digest);
    }

    @Benchmark
    public BlsSignature sign() {
        return Bls.sign(key.secretKey(), digest);
    }

    @Benchmark
    public boolean verify() {
        return Bls.verify(key.publicKey(), digest, signature);
    }
}
