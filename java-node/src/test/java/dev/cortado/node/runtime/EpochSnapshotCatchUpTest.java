package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.testing.Await;
import dev.cortado.protocol.epoch.EpochSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table source like the L1 one: a node knows epoch e+1's table only once it has itself decided e's snapshot
 * block (the L1 tables read that block's {@code l1Head}). A node stopped before a snapshot block then gets the
 * block and the handover that needs it from one catch-up reply. It keeps the reply's blocks below the handover
 * (decided with the reply's proof), and so learns the table and takes the handover on the next reply. Before, it
 * refused every such reply and stayed behind (as {@code EpochProcessTest}'s restarted process did on L1 tables).
 */
class EpochSnapshotCatchUpTest {
    private static final EpochSchedule SCHEDULE = new EpochSchedule(6, 3);
    private static final int STOPPED = 2;

    @TempDir Path dir;

    @Test
    void aNodeThatMissedASnapshotBlockCatchesUpThroughItsHandover() {
        // The highest height each node has been seen to decide: a restarting node's store holds at least that.
        AtomicLongArray decided = new AtomicLongArray(4);
        try (LocalCluster c = new LocalCluster(4, dir, false)) {
            c.nodeEpochs = i -> new NodeEpochs.Fixed(Epochs.of(SCHEDULE, epoch -> {
                CortadoNode n = c.nodes[i];
                if (n != null) decided.accumulateAndGet(i, n.height(), Math::max);
                return decided.get(i) >= SCHEDULE.snapshotHeight(epoch) ? EpochNetworkTest.table(epoch)
                        : Optional.<EpochTable>empty();
            }), Optional.empty());
            c.startAll();
            Await.until("node " + STOPPED + " reached epoch 1", Duration.ofSeconds(20),
                    () -> c.nodes[STOPPED].height() >= SCHEDULE.firstHeight(1));
            c.stop(STOPPED);
            long pastTwoHandovers = SCHEDULE.firstHeight(3) + 1;
            Await.until("the others passed two handovers", Duration.ofSeconds(30), () -> othersAtLeast(c, pastTwoHandovers));
            long othersAtRestart = c.nodes[0].height();
            c.start(STOPPED);
            long target = othersAtRestart + SCHEDULE.epochBlocks();
            Await.until("node " + STOPPED + " caught up and decided past " + target, Duration.ofSeconds(40),
                    () -> c.nodes[STOPPED].height() >= target);
            Await.until("node 0 decided past " + target, Duration.ofSeconds(10), () -> c.nodes[0].height() >= target);
            for (long h = 1; h <= target; h++) {
                assertArrayEquals(c.nodes[0].store().decided(h).orElseThrow().commitment(),
                        c.nodes[STOPPED].store().decided(h).orElseThrow().commitment(), "height " + h);
            }
            assertTrue(SCHEDULE.epochOf(target) >= 4, "the restarted node passed handovers it missed, to " + target);
        }
    }

    private static boolean othersAtLeast(LocalCluster c, long height) {
        for (int i = 0; i < c.nodes.length; i++) {
            if (i != STOPPED && c.nodes[i].height() < height) return false;
        }
        return true;
    }
}
