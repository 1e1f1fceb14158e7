package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.net.WireReader;
import dev.cortado.node.storage.DecidedBlock;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.node.testing.Await;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.types.Bytes32;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four nodes on real sockets and RocksDB run stake-table epochs of six blocks (issue 14) over a table source whose
 * weights change every epoch: index 3 leaves for one epoch in three and comes back with the largest stake. Node 2
 * is stopped in epoch 1 and restarted once the others passed two handovers.
 */
class EpochNetworkTest {
    private static final EpochSchedule SCHEDULE = new EpochSchedule(6, 3);
    /** Epochs 1, 4, 7, … / 2, 5, 8, … (index 3 out) / 3, 6, 9, … (index 3 back, with the most stake). */
    private static final long[][] WEIGHTS = {{2, 1, 1, 1}, {2, 2, 1, 0}, {1, 1, 1, 3}};
    private static final int STOPPED = 2;
    private static final int ROTATING = 3;

    @TempDir Path dir;

    /** Deterministic stand-in for the L1 stake table: the same tables on every node. */
    static Optional<EpochTable> table(long epoch) {
        long[] weights = WEIGHTS[(int) ((epoch - 1) % WEIGHTS.length)];
        byte[][] words = new byte[weights.length + 2][];
        words[0] = "epoch-network-test/table".getBytes(StandardCharsets.UTF_8);
        words[1] = Abi.uint64Word(epoch);
        for (int i = 0; i < weights.length; i++) {
            words[i + 2] = Abi.uint64Word(weights[i]);
        }
        return Optional.of(EpochTable.everyMemberDa(StakeWeights.ofEpoch(weights), Keccak.hash(words)));
    }

    /** Genesis weights (LocalCluster gives each node 1 gwei) for epoch 0, the source's table after. */
    private static StakeWeights weightsOf(long epoch) {
        return epoch == 0 ? StakeWeights.equal(4, 1) : table(epoch).orElseThrow().weights();
    }

    @Test
    void nodesHandOverAcrossEpochsAndARestartedNodeCatchesUpThroughTheHandovers() {
        try (LocalCluster c = new LocalCluster(4, dir, false)) {
            c.epochs = Epochs.of(SCHEDULE, EpochNetworkTest::table);
            c.startAll();
            Await.until("node " + STOPPED + " reached epoch 1", Duration.ofSeconds(20),
                    () -> c.nodes[STOPPED].height() >= SCHEDULE.firstHeight(1) + 1);
            c.stop(STOPPED);
            long stoppedAt = heightIn(c, STOPPED);
            long pastTwoHandovers = SCHEDULE.firstHeight(SCHEDULE.epochOf(stoppedAt) + 2) + 1;
            Await.until("the others passed two handovers without node " + STOPPED, Duration.ofSeconds(30),
                    () -> othersAtLeast(c, pastTwoHandovers));
            long othersAtRestart = c.nodes[0].height();
            c.start(STOPPED);
            // Past the fourth handover (heights 23 → 24 and on), node 2 included.
            long target = Math.max(SCHEDULE.firstHeight(4) + 2, othersAtRestart + 2 * SCHEDULE.epochBlocks());
            Await.until("every node decided past height " + target, Duration.ofSeconds(40),
                    () -> Arrays.stream(c.nodes).allMatch(n -> n.height() >= target));

            NodeCodec codec = new NodeCodec(NodeCodec.Limits.forBlockBytes(1 << 20));
            NodeStore s0 = c.nodes[0].store();
            boolean rotatingSignedAfterRejoining = false;
            int handovers = 0;
            int suffixProofs = 0;
            for (long h = 1; h <= target; h++) {
                DecidedBlock b = s0.decided(h).orElseThrow();
                for (CortadoNode n : c.nodes) {
                    assertArrayEquals(b.commitment(), n.store().decided(h).orElseThrow().commitment(), "height " + h);
                }
                Leaf leaf = NodeCodec.leaf(new WireReader(b.leaf()));
                long epoch = SCHEDULE.epochOf(h);
                if (SCHEDULE.isLastOfEpoch(h)) {
                    assertEquals(table(epoch + 1).orElseThrow().commitment(), leaf.nextStakeTable(), "handover at " + h);
                    handovers++;
                } else {
                    assertEquals(Bytes32.ZERO, leaf.nextStakeTable(), "no handover at " + h);
                }
                for (CortadoNode n : c.nodes) {
                    Optional<QuorumCertificate> qc = storedQc(codec, n.store().decided(h).orElseThrow());
                    if (qc.isEmpty()) {
                        continue;
                    }
                    assertEquals(epoch, qc.get().epoch(), "the QC on height " + h + " at node " + n.index());
                    assertSignedByMembers(qc.get(), h);
                    if (epoch >= 3 && WEIGHTS[(int) ((epoch - 1) % 3)][ROTATING] > 0
                            && qc.get().signature().signers().get(ROTATING)) {
                        rotatingSignedAfterRejoining = true;
                    }
                }
                Optional<byte[]> proof = s0.decideProof(h);
                if (proof.isPresent()) {
                    WireReader r = new WireReader(proof.get());
                    NodeMessage.DecideProof decide = codec.decideProof(r);
                    r.finish("decide proof");
                    if (!decide.suffix().isEmpty()) {
                        assertTrue(SCHEDULE.isLastOfEpoch(h), "suffix leaves above height " + h + ", not a handover");
                        suffixProofs++;
                    }
                    QuorumCertificate commit = decide.commitQc();
                    assertEquals(epoch, commit.epoch(), "the commit QC that decided height " + h);
                    assertSignedByMembers(commit, h);
                }
            }
            assertTrue(handovers >= 4, handovers + " handovers decided");
            System.out.println("EpochNetworkTest: " + handovers + " handovers to height " + target + ", " + suffixProofs
                    + " decided through a two-chain on suffix leaves");
            assertTrue(rotatingSignedAfterRejoining, "index " + ROTATING + " signs QCs once its table gives it stake again");
            assertTrue(c.nodes[STOPPED].height() > othersAtRestart, "the restarted node decides new blocks");
        }
    }

    /** The QC's signers are members of its own epoch's table and hold more than 2/3 of that table's stake. */
    private static void assertSignedByMembers(QuorumCertificate qc, long height) {
        StakeWeights w = weightsOf(qc.epoch());
        BitSet signers = qc.signature().signers();
        long stake = w.stakeOf(signers);
        assertTrue(stake >= 0, "QC at height " + height + " of epoch " + qc.epoch() + " signed by non-members: " + signers);
        assertTrue(w.isQuorum(stake), "QC at height " + height + " carries " + stake + " of " + w.totalStakeGwei());
        if (w.stakeGwei(ROTATING) == 0) {
            assertFalse(signers.get(ROTATING), "index " + ROTATING + " signed in epoch " + qc.epoch());
        }
    }

    private static Optional<QuorumCertificate> storedQc(NodeCodec codec, DecidedBlock b) {
        if (b.qc().length == 0) {
            return Optional.empty();
        }
        WireReader r = new WireReader(b.qc());
        QuorumCertificate qc = codec.qc(r);
        r.finish("stored qc");
        return Optional.of(qc);
    }

    private static long heightIn(LocalCluster c, int node) {
        try (NodeStore s = new NodeStore(c.settings.get(node).dataDir())) {
            return s.latestHeight();
        }
    }

    private static boolean othersAtLeast(LocalCluster c, long height) {
        for (int i = 0; i < c.nodes.length; i++) {
            if (i != STOPPED && c.nodes[i].height() < height) {
                return false;
            }
        }
        return true;
    }
}
