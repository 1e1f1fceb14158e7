package dev.cortado.node.runtime;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.da.DaCommitteeMember;
import dev.cortado.node.da.DaReview;
import dev.cortado.node.da.ShareValidator;
import dev.cortado.node.mempool.Mempool;
import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.protocol.crypto.BlsKeyPair;
import dev.cortado.protocol.stake.StakeFixtures;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A DA member's event-thread work for one received 1 MiB block of 200-byte transactions (5,000), the way the node
 * did it before issue 10's hash-once work ({@code memberBefore}: parse hashing every transaction, VID encode, then the
 * DA review parsing, hashing and encoding again, then the own share's Merkle check) and the way it does it now
 * ({@code memberNow}: parse taking the mempool's hashes, one VID encode, the review on that result), and the
 * leader's build of such a block from its mempool ({@code leaderBuild}). {@link BlockCheckBenchReport} writes the report.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BlockCheckBenchmark {
    static final int TX_BYTES = 200;
    static final int TXS = (1 << 20) / (TX_BYTES + 4);
    static final long CHAIN = 7;

    private List<PendingTx> txs;
    private Blocks.Block built;
    private Leaf leaf;
    private Blocks plain;
    private Blocks withMempool;
    private DaCommitteeMember member;
    private ShareValidator validator;
    private int me;

    @Setup
    public void setUp() {
        List<BlsKeyPair> keys = StakeFixtures.keys(4);
        StakeTable table = StakeFixtures.table(keys);
        me = 2; // a DA member (even entries are) other than the leader, 0
        Mempool pool = new Mempool(MempoolLimits.defaults(), h -> false);
        txs = new ArrayList<>(TXS);
        for (int i = 0; i < TXS; i++) {
            byte[] p = new byte[TX_BYTES];
            for (int b = 0; b < 8; b++) {
                p[b] = (byte) (i >>> (8 * b));
            }
            long ns = 1 + i % 4;
            pool.submit(ns, p);
            txs.add(PendingTx.of(ns, p));
        }
        built = new Blocks(CHAIN, table.size(), 0).build(1, 1, Bytes32.ZERO, 1_000, Bytes32.ZERO, txs);
        leaf = new Leaf(CHAIN, new View(1), new Height(1), Bytes32.ZERO, built.commitment(), new View(0));
        plain = new Blocks(CHAIN, table.size(), me);
        withMempool = new Blocks(CHAIN, table.size(), me, pool::knownHash);
        member = new DaCommitteeMember(CHAIN, table, keys.get(me));
        validator = new ShareValidator();
    }

    @Benchmark
    public Object memberBefore() throws BlockRejected {
        Blocks.Block b = plain.check(built.data(), leaf);
        DaReview r = member.review(b.header(), b.data().nsTable(), b.data().payload());
        return validator.problem(b.header(), b.dispersal().commitment().shareCount(), me, b.share(me)).isEmpty() ? r : null;
    }

    @Benchmark
    public Object memberNow() throws BlockRejected {
        Blocks.Block b = withMempool.check(built.data(), leaf);
        return member.review(b.header(), b.payload(), b.dispersal().commitment().vidRoot());
    }

    @Benchmark
    public Object leaderBuild() {
        return new Blocks(CHAIN, 4, 0).build(1, 1, Bytes32.ZERO, 1_000, Bytes32.ZERO, txs);
    }
}
