package dev.cortado.protocol.bench;

import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.types.Bytes32;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.KeccakDigest;
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
 * keccak256 of one {@code bytes}-long input: BouncyCastle's KeccakDigest the way Cortado used it (a
 * digest per call) against protocol.codec.Keccak. 64 bytes is a Merkle inner node, 32 an ABI word.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeccakBench {
    @Param({"32", "64", "200", "1024", "1048576"})
    public int bytes;

    private byte[] input;

    @Setup(Level.Trial)
    public void setUp() {
        input = new byte[bytes];
        new SplittableRandom(bytes).nextBytes(input);
    }

    @Benchmark
    public Bytes32 bouncyCastle() {
        KeccakDigest digest = new KeccakDigest(256);
        digest.update(input, 0, input.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return new Bytes32(out);
    }

    @Benchmark
    public Bytes32 cortado() {
        return Keccak.hash(input);
    }
}
