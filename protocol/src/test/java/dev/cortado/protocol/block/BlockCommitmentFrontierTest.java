package dev.cortado.protocol.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.merkle.MerkleTree;
import dev.cortado.protocol.types.Bytes32;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fault 6: the proposal-time blockCommRoot costs O(log n), not a rebuild over every decided header. */
class BlockCommitmentFrontierTest {
    /** Distinct stand-ins for header commitments (no hashing, so the count below is the tree's alone). */
    private static Bytes32 header(long h) {
        return Bytes32.of(ByteBuffer.allocate(32).putLong(0, h).putLong(24, ~h).array());
    }

    @Test
    void givesTheLogsRootAtEverySize() {
        BlockCommitmentLog log = new BlockCommitmentLog();
        BlockCommitmentFrontier frontier = new BlockCommitmentFrontier();
        assertEquals(log.blockCommRoot(), frontier.blockCommRoot());
        for (long h = 0; h < 2_100; h++) {
            log.append(header(h));
            frontier.append(header(h));
            assertEquals(log.blockCommRoot(), frontier.blockCommRoot(), "size " + (h + 1));
        }
    }

    @Test
    void aCopyExtendsWithoutTouchingTheOriginal() {
        BlockCommitmentFrontier decided = new BlockCommitmentFrontier();
        BlockCommitmentLog log = new BlockCommitmentLog();
        for (long h = 0; h < 77; h++) {
            decided.append(header(h));
            log.append(header(h));
        }
        Bytes32 before = decided.blockCommRoot();
        BlockCommitmentFrontier withPending = decided.copy();
        withPending.append(header(77));
        withPending.append(header(78));
        log.append(header(77));
        log.append(header(78));
        assertEquals(log.blockCommRoot(), withPending.blockCommRoot());
        assertEquals(before, decided.blockCommRoot());
        assertEquals(77, decided.size());
    }

    @Test
    void perProposalCostDoesNotGrowWithHeightAtAMillionHeaders() {
        BlockCommitmentFrontier decided = new BlockCommitmentFrontier();
        long[] costAt = new long[3];
        long[] checkpoints = {1_000, 100_000, 1_000_003};
        int next = 0;
        for (long h = 0; h < 1_000_003; h++) {
            decided.append(header(h));
            if (decided.size() == checkpoints[next]) {
                // What a proposal costs: copy, append two undecided ancestors, take the root.
                BlockCommitmentFrontier p = decided.copy();
                p.append(header(-1));
                p.append(header(-2));
                p.blockCommRoot();
                costAt[next++] = p.hashes();
            }
        }
        assertEquals(1_000_003, decided.size());
        // log2(1,000,005) < 20: two appends (at most 20 hashes each) and a root walk (at most 20).
        assertTrue(costAt[2] <= 3 * 20, "hashes at height 1,000,003: " + costAt[2]);
        assertTrue(costAt[2] <= costAt[0] + 3 * 10, "grows at most with log n: " + java.util.Arrays.toString(costAt));
        // Appending a million headers cost about one hash each, not n per append.
        assertTrue(decided.hashes() < 1_000_003L * 2, "append hashes " + decided.hashes());
        // Its whole state: one subtree root per level ever filled, 20 for a million headers.
        assertEquals(20, decided.retainedNodes());
    }

    /** What a store keeps: every subtree an append completes, and from those alone the same frontier again. */
    @Test
    void appendsReportEveryCompletedSubtreeAndRestoreRebuildsTheFrontierFromThem() {
        List<Bytes32> leaves = new ArrayList<>();
        Map<String, Bytes32> stored = new HashMap<>();
        BlockCommitmentFrontier frontier = new BlockCommitmentFrontier();
        for (long h = 0; h < 300; h++) {
            leaves.add(header(h));
            frontier.append(header(h), (level, position, root) -> {
                int from = Math.toIntExact(position << level);
                assertEquals(MerkleTree.root(leaves.subList(from, from + (1 << level))), root, level + "/" + position);
                assertNull(stored.put(level + "/" + position, root), "reported twice: " + level + "/" + position);
            });
            long count = leaves.size();
            // Subtrees complete after count leaves: floor(count / 2^k) at level k.
            long expected = 0;
            for (int k = 0; (count >>> k) > 0; k++) {
                expected += count >>> k;
            }
            assertEquals(expected, stored.size());
            BlockCommitmentFrontier restored = BlockCommitmentFrontier.restore(count, (level, position) -> {
                Bytes32 root = stored.get(level + "/" + position);
                assertTrue(root != null, "restore asked for an incomplete subtree " + level + "/" + position);
                return root;
            });
            assertEquals(frontier.blockCommRoot(), restored.blockCommRoot(), "size " + count);
            assertEquals(Long.bitCount(count), restored.retainedNodes(), "one root per set bit of the count");
        }
    }
}
