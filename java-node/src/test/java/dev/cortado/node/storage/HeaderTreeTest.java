package dev.cortado.node.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.block.BlockCommitmentFrontier;
import dev.cortado.protocol.block.BlockCommitmentLog;
import dev.cortado.protocol.merkle.MerkleAccumulator;
import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block-commitment tree in RocksDB against the in-memory accumulator the node used to keep (and the list-based
 * {@link MerkleTree}, which shares no code with either): same proofs, byte for byte, and same roots, for random
 * heights and sizes, across restarts.
 */
class HeaderTreeTest {
    @TempDir Path dir;

    static DecidedBlock block(long h, Bytes32 commitment) {
        return new DecidedBlock(h, h + 3, new byte[] {1}, new byte[] {2}, new byte[] {3}, commitment.bytes());
    }

    static Bytes32 randomCommitment(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return Bytes32.of(b);
    }

    /** What the tree must give: the accumulator of today's proofs over the same leaves, genesis first. */
    private static final class Reference {
        final MerkleAccumulator tree = new MerkleAccumulator();
        final List<Bytes32> leaves = new ArrayList<>();

        Reference() {
            append(Bytes32.ZERO);
        }

        void append(Bytes32 c) {
            tree.append(c);
            leaves.add(c);
        }
    }

    private static void checkAgainst(Reference ref, HeaderTree tree, Random r, int samples) {
        int size = ref.tree.size();
        assertEquals(size, tree.size());
        assertEquals(ref.leaves.getLast(), tree.tip());
        BlockCommitmentFrontier frontier = tree.frontier();
        assertEquals(BlockCommitmentLog.blockCommRoot(ref.tree.root(), size), frontier.blockCommRoot(), "root at " + size);
        for (int i = 0; i < samples; i++) {
            int count = 1 + r.nextInt(size);
            int index = r.nextInt(count);
            MerkleProof expected = ref.tree.proof(index, count);
            assertEquals(expected, tree.proof(index, count), "proof of " + index + " among " + count);
            if (count <= 300) {
                assertEquals(MerkleTree.proof(ref.leaves.subList(0, count), index), tree.proof(index, count));
            }
            assertTrue(BlockCommitmentLog.verify(BlockCommitmentLog.blockCommRoot(ref.tree.root(count), count), count,
                    ref.leaves.get(index), tree.proof(index, count)));
        }
    }

    @Test
    void proofsAndRootsEqualTheInMemoryTreeForRandomHeightsAcrossReopens() {
        for (long seed = 1; seed <= 4; seed++) {
            Random r = new Random(seed);
            Path at = dir.resolve("seed" + seed);
            Reference ref = new Reference();
            int target = 200 + r.nextInt(900);
            while (ref.tree.size() < target) {
                try (NodeStore s = new NodeStore(at)) {
                    checkAgainst(ref, s.headers(), r, 40);
                    int run = 1 + r.nextInt(300);
                    for (int i = 0; i < run; i++) {
                        Bytes32 c = randomCommitment(r);
                        s.putDecided(block(ref.tree.size(), c), null, null, List.of(), null);
                        ref.append(c);
                    }
                    checkAgainst(ref, s.headers(), r, 40);
                }
            }
        }
    }

    @Test
    void anOutOfOrderHeightIsRefusedAndWritesNothing() {
        try (NodeStore s = new NodeStore(dir)) {
            s.putDecided(block(1, TallStores.header(1)), null, null, List.of(), null);
            StorageException e = assertThrows(StorageException.class,
                    () -> s.putDecided(block(3, TallStores.header(3)), null, null, List.of(), null));
            assertTrue(e.getMessage().contains("height 2"), e.getMessage());
            assertTrue(s.decided(3).isEmpty(), "the block of a refused height is not stored either");
            assertEquals(2, s.headers().size());
            assertThrows(IndexOutOfBoundsException.class, () -> s.headers().proof(0, 3), "no proof beyond the tree");
        }
        try (NodeStore s = new NodeStore(dir)) {
            assertEquals(1, s.latestHeight());
            assertEquals(2, s.headers().size());
        }
    }

    @Test
    void aStoreWithLeavesButNoTreeGetsItsSubtreesOnceAtOpen() throws Exception {
        Reference ref = new Reference();
        Random r = new Random(9);
        try (NodeStore s = new NodeStore(dir)) {
            for (int h = 1; h < 5_000; h++) {
                Bytes32 c = randomCommitment(r);
                s.putDecided(block(h, c), null, null, List.of(), null);
                ref.append(c);
            }
        }
        // What a store from before the header_tree family looks like: header_comm alone.
        RawStores.dropFamily(dir, "header_tree");
        try (NodeStore s = new NodeStore(dir)) {
            checkAgainst(ref, s.headers(), r, 100);
        }
        try (NodeStore s = new NodeStore(dir)) {
            long openReads = s.headers().reads();
            assertTrue(openReads <= 2 + Long.bitCount(5_000), "filled once, not on every open: " + openReads + " reads");
            checkAgainst(ref, s.headers(), r, 20);
        }
    }
}
