package dev.cortado.node.da.bench;

import dev.cortado.node.da.vid.InconsistentDispersalException;
import dev.cortado.node.da.vid.ReedSolomon16;
import dev.cortado.node.da.vid.Vid;
import dev.cortado.node.da.vid.VidDispersal;
import dev.cortado.node.da.vid.VidShare;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * VID throughput on a 5 MB payload: the Reed–Solomon encoding alone, a full dispersal (encoding,
 * share hashing, Merkle proofs), and recovery from the k highest-indexed shares (parity only, the
 * costliest case; includes the re-encoding check). {@link VidBenchReport} turns it into MB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VidBenchmark {
    public static final int PAYLOAD_BYTES = 5 * 1024 * 1024;

    @Param({"10", "31", "100"})
    public int shareCount;

    private Vid vid;
    private ReedSolomon16 code;
    private byte[] payload;
    private byte[][] dataShares;
    private VidDispersal dispersal;
    private List<VidShare> lastK;

    @Setup
    public void setUp() {
        vid = new Vid(shareCount);
        int k = vid.dataShareCount();
        code = new ReedSolomon16(shareCount, k);
        payload = new byte[PAYLOAD_BYTES];
        new Random(42).nextBytes(payload);
        int shareBytes = Vid.shareBytes(PAYLOAD_BYTES, k);
        dataShares = new byte[k][shareBytes];
        for (int j = 0; j < k; j++) {
            int from = j * shareBytes;
            System.arraycopy(payload, from, dataShares[j], 0, Math.max(0, Math.min(shareBytes, PAYLOAD_BYTES - from)));
        }
        dispersal = vid.disperse(payload);
        lastK = dispersal.shares().subList(shareCount - k, shareCount);
    }

    @Benchmark
    public byte[][] encode() {
        return code.encode(dataShares);
    }

    @Benchmark
    public VidDispersal disperse() {
        return vid.disperse(payload);
    }

    @Benchmark
    public byte[] recoverFromParity() throws InconsistentDispersalException {
        return vid.recover(dispersal.commitment(), lastK);
    }
}
