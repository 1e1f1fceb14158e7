package dev.cortado.node.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The exactly-once check of one gossiped or submitted batch against the store's tx index: {@link #BATCH} new
 * transactions (every hash absent, the common case) and a batch half of which was decided already, each looked up
 * one {@code get} at a time ({@code single*}, what the mempool did before) and in one {@code multiGet}
 * ({@code batched*}), on a store holding {@link #INDEXED} decided transactions in SST files behind the tx family's
 * bloom filter. {@link TxIndexBenchReport} writes the report.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TxIndexBenchmark {
    static final int INDEXED = 1_000_000;
    static final int PER_BLOCK = 5_000;
    static final int BATCH = 1_000;

    private Path dir;
    private NodeStore store;
    private List<byte[]> absent;
    private List<byte[]> half;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("tx-index-bench");
        store = new NodeStore(dir);
        Random random = new Random(5);
        List<byte[]> decided = new ArrayList<>();
        for (long h = 1; h <= INDEXED / PER_BLOCK; h++) {
            List<NodeStore.IndexedTx> txs = new ArrayList<>(PER_BLOCK);
            for (int i = 0; i < PER_BLOCK; i++) {
                byte[] hash = random32(random);
                if (decided.size() < BATCH) {
                    decided.add(hash);
                }
                txs.add(new NodeStore.IndexedTx(hash, 1, i));
            }
            byte[] id = random32(random);
            store.putDecided(new DecidedBlock(h, h, id, id, id, id), null, null, txs, null);
        }
        store.flushTxIndex();
        absent = new ArrayList<>();
        half = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            absent.add(random32(random));
            half.add(i % 2 == 0 ? decided.get(i) : random32(random));
        }
    }

    private static byte[] random32(Random random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return b;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public int singleAbsent() {
        return single(absent);
    }

    @Benchmark
    public int batchedAbsent() {
        return batched(absent);
    }

    @Benchmark
    public int singleHalfDecided() {
        return single(half);
    }

    @Benchmark
    public int batchedHalfDecided() {
        return batched(half);
    }

    private int single(List<byte[]> hashes) {
        int found = 0;
        for (byte[] h : hashes) {
            found += store.txLocation(h).isPresent() ? 1 : 0;
        }
        return found;
    }

    private int batched(List<byte[]> hashes) {
        int found = 0;
        for (boolean b : store.txIndexed(hashes)) {
            found += b ? 1 : 0;
        }
        return found;
    }
}
