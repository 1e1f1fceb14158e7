package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.storage.NodeStore;
import dev.cortado.node.storage.TallStores;
import dev.cortado.protocol.block.BlockCommitmentFrontier;
import dev.cortado.protocol.block.BlockCommitmentLog;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beside {@link BlockCommRootHeightTest}, which counts the work per proposal: at 1,000,000 decided headers in a
 * real RocksDB store, what the node holds in memory for block commitments, the keys it reads to start, and the
 * keys one old header's proof reads, all counted (never timed) and bounded by log n. The store is filled in
 * batches without blocks, so the test takes seconds. Proofs are checked against roots an in-memory frontier
 * computed at each size while the same leaves went by, so the store cannot grade itself.
 */
class HeaderStoreHeightTest {
    private static final long COUNT = 1_000_000;
    private static final long[] SIZES = {1, 2, 3, 1_000, 4_096, 65_537, 524_288, 777_777, 999_999, COUNT};

    @TempDir Path dir;

    private static Bytes32 leaf(long h) {
        return h == 0 ? Bytes32.ZERO : TallStores.header(h);
    }

    private static int log2Ceil(long n) {
        return 64 - Long.numberOfLeadingZeros(n - 1);
    }

    @Test
    void atAMillionHeadersMemoryStartUpAndProofReadsAreLogN() {
        Map<Long, Bytes32> roots = new HashMap<>();
        BlockCommitmentFrontier reference = new BlockCommitmentFrontier();
        for (long h = 0; h < COUNT; h++) {
            reference.append(leaf(h));
            for (long size : SIZES) {
                if (size == reference.size()) {
                    roots.put(size, reference.blockCommRoot());
                }
            }
        }
        try (NodeStore s = new NodeStore(dir)) {
            TallStores.fill(s, COUNT, HeaderStoreHeightTest::leaf);
        }

        try (NodeStore s = new NodeStore(dir)) {
            // What DecidedChain does at start-up, counted from the store's first read.
            ChainCommitments commitments = new ChainCommitments(s.headers().frontier(), s.headers().tip());
            long startReads = s.headers().reads();
            int levels = log2Ceil(COUNT) + 1;
            System.out.println("at " + COUNT + " headers: start-up read " + startReads + " keys; memory holds "
                    + commitments.frontierNodes() + " subtree roots in ChainCommitments and " + s.headers().retainedNodes()
                    + " in the store's frontier");
            assertEquals(COUNT, commitments.size());
            assertEquals(leaf(COUNT - 1), commitments.tip());
            assertEquals(roots.get(COUNT), commitments.rootFor(List.of()));
            // The count, the last stored height, one root per set bit of the count, the tip: not a key per header.
            assertTrue(startReads <= 3 + Long.bitCount(COUNT), "start-up reads " + startReads);
            assertTrue(commitments.frontierNodes() <= levels, "ChainCommitments holds " + commitments.frontierNodes());
            assertTrue(s.headers().retainedNodes() <= levels, "the store holds " + s.headers().retainedNodes());

            Random r = new Random(11);
            long maxReads = 0;
            for (int i = 0; i < 300; i++) {
                long count = SIZES[r.nextInt(SIZES.length)];
                long index = i % 3 == 0 ? count - 1 : r.nextLong(count);
                long before = s.headers().reads();
                MerkleProof proof = s.headers().proof(index, count);
                long reads = s.headers().reads() - before;
                maxReads = Math.max(maxReads, reads);
                assertTrue(reads <= 2L * MerkleTree.depth(count), reads + " reads for " + index + " among " + count);
                assertTrue(BlockCommitmentLog.verify(roots.get(count), count, leaf(index), proof),
                        "proof of " + index + " among " + count);
            }
            System.out.println("a proof at up to " + COUNT + " headers read at most " + maxReads + " keys");
        }
    }
}
