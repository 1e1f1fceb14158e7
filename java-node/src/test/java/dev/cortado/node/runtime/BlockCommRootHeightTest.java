package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, fault 6 and the height acceptance: the block pipeline judges proposals at decided height 1,000 and
 * 1,000,000 with the node's real header accumulator ({@link ChainCommitments}), and the work per proposal is
 * the same up to the log factor. The chain is built by feeding the accumulator synthetic header commitments,
 * not by running consensus, so reaching a million headers takes about a second. Work is counted two ways,
 * never timed: pair hashes the accumulator reports, and bytes the judging thread allocates. The second
 * catches a rebuild over every header however it is written, since each of its million hashes allocates.
 */
class BlockCommRootHeightTest {
    private static final long CHAIN = RuntimeFixtures.CHAIN_ID;
    private static final long NOW_MS = 1_700_000_000_000L;
    /** Proposals judged per round, each on the previous one: 0 to 3 undecided ancestors. */
    private static final int CHAIN_LENGTH = 4;
    private static final int ROUNDS = 5;
    private final RuntimeFixtures f = new RuntimeFixtures();
    private final Blocks blocks = new Blocks(CHAIN, RuntimeFixtures.N, 0);
    private final TallChain chain = new TallChain();
    private long nextView = 1;

    /** A decided chain whose tip is a leaf the test sets; nothing below the tip is needed to judge a block. */
    private static final class TallChain extends InMemoryChainView {
        @Override
        public boolean isDecided(Bytes32 txHash) {
            return false;
        }

        @Override
        public long decidedTimestampMs(long height) {
            return 0;
        }

        @Override
        public long decidedL1Head(long height) {
            return 0;
        }

        /** Appends header commitments up to {@code count} headers (genesis included) and makes the last one the tip. */
        Leaf growTo(long count) {
            while (commitments.size() < count) {
                commitments.append(header(commitments.size()));
            }
            long h = count - 1;
            Leaf tip = new Leaf(CHAIN, View.of(h), new Height(h), header(-h), commitments.tip(), View.ZERO);
            leaves.put(tip.commitment(), tip);
            return tip;
        }
    }

    /** Distinct stand-ins for header commitments, made without hashing so that only the tree hashes. */
    private static Bytes32 header(long h) {
        return Bytes32.of(ByteBuffer.allocate(32).putLong(0, h).putLong(24, ~h).array());
    }

    /**
     * What judging proposals at one height costs: the most pair hashes one proposal took, and the bytes allocated
     * per proposal in the cheapest round (the JIT warmed up by the earlier ones).
     */
    private record Cost(long hashes, long allocatedBytes, int frontierNodes) {
    }

    private Cost judgeAt(long decidedCount) {
        Leaf tip = chain.growTo(decidedCount);
        long maxHashes = 0;
        long minBytes = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            BlockPipeline pipeline = new BlockPipeline(chain, 5_000, 1_000);
            List<Bytes32> ancestors = new ArrayList<>();
            Leaf parent = tip;
            long roundBytes = 0;
            for (int i = 0; i < CHAIN_LENGTH; i++) {
                long view = nextView++;
                Blocks.Block b = blocks.build(parent.height().value() + 1, view, parent.blockCommitment(), NOW_MS, 0,
                        chain.commitments.rootFor(ancestors), List.of(PendingTx.of(7, ("tx-" + view).getBytes())));
                Leaf leaf = new Leaf(CHAIN, View.of(view), new Height(parent.height().value() + 1), parent.commitment(),
                        b.commitment(), View.ZERO);
                chain.leaves.put(leaf.commitment(), leaf);
                PipelineInput in = new PipelineInput.Proposed(f.proposal(leaf, f.leader(view)), new KnownBlock.Full(b, 0));

                long hashesBefore = chain.commitments.rootHashes();
                long bytesBefore = allocatedBytes();
                List<PipelineEffect> out = pipeline.handle(in, NOW_MS);
                long bytes = allocatedBytes() - bytesBefore;
                long hashes = chain.commitments.rootHashes() - hashesBefore;

                List<PipelineEffect.Checked> verdicts = PipelineEffect.verdicts(out);
                assertEquals(1, verdicts.size());
                assertInstanceOf(BlockVerdict.Accept.class, verdicts.getFirst().verdict(),
                        "height " + leaf.height().value());
                assertTrue(hashes > 0, "judging a block computes its blockCommRoot through the accumulator");
                maxHashes = Math.max(maxHashes, hashes);
                roundBytes += bytes;
                ancestors.add(b.commitment());
                parent = leaf;
            }
            minBytes = Math.min(minBytes, roundBytes / CHAIN_LENGTH);
        }
        return new Cost(maxHashes, minBytes, chain.commitments.frontierNodes());
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static int log2Ceil(long n) {
        return 64 - Long.numberOfLeadingZeros(n - 1);
    }

    @Test
    void perProposalWorkAndRetainedStateDoNotGrowFromHeightAThousandToAMillion() {
        Cost low = judgeAt(1_000);
        Cost high = judgeAt(1_000_000);
        assertEquals(1_000_000, chain.decidedCount());
        System.out.println("per proposal at height 1,000: " + low + "; at 1,000,000: " + high);

        // Copy, at most CHAIN_LENGTH - 1 appends and one root walk: each at most one hash per level.
        int levels = log2Ceil(1_000_000 + CHAIN_LENGTH) + 1;
        assertTrue(high.hashes() <= (long) CHAIN_LENGTH * levels, "hashes per proposal at 1,000,000: " + high);
        assertTrue(high.hashes() - low.hashes() <= (long) CHAIN_LENGTH * (log2Ceil(1_000_000) - log2Ceil(1_000) + 1),
                "grows at most with log n: " + low + " then " + high);

        // A rebuild over the decided headers would allocate at least a 64-byte preimage per header: 64 MB here.
        assertTrue(high.allocatedBytes() <= low.allocatedBytes() + 64 * 1024,
                "bytes allocated per proposal: " + low + " at 1,000, " + high + " at 1,000,000");

        // The state a proposal's root is computed from is one subtree root per level, whatever the height.
        assertTrue(high.frontierNodes() <= 64 && high.frontierNodes() <= log2Ceil(1_000_000) + 1, "frontier " + high);
    }
}
