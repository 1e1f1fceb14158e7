package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.testing.Await;
import dev.cortado.protocol.codec.Abi;
import dev.cortado.protocol.codec.Keccak;
import dev.cortado.protocol.epoch.EpochSchedule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DA committee follows the epochs (issue 14) on real sockets and RocksDB: five nodes, index 4 configured with
 * {@code stake_gwei = 0} and {@code da = true}, index 3 without {@code da}. From epoch 2 on the table gives index 0
 * (a DA member) no stake and index 4 one unit, so the committee turns from 0, 1, 2 into 1, 2, 4. Index 0 is then
 * stopped and the others must keep deciding: with the genesis committee, whose threshold needs index 0, they could
 * not.
 */
class DaEpochNetworkTest {
    private static final EpochSchedule SCHEDULE = new EpochSchedule(6, 3);
    private static final long[] GENESIS = {1, 1, 1, 1, 0};
    private static final long[] AFTER = {0, 1, 1, 1, 1};
    private static final long HANDOVER_EPOCH = 2;
    private static final int EXITER = 0;
    private static final int JOINER = 4;
    /** A DA member in every epoch: it receives (or forms) every certificate. */
    private static final int WATCHER = 1;

    @TempDir Path dir;

    /** The DA flags match the configuration (every staked peer configured {@code da}, that is all but index 3). */
    static Optional<EpochTable> table(long epoch) {
        long[] weights = epoch < HANDOVER_EPOCH ? GENESIS : AFTER;
        BitSet da = new BitSet();
        for (int i : new int[] {0, 1, 2, 4}) da.set(i, weights[i] > 0);
        return Optional.of(new EpochTable(StakeWeights.ofEpoch(weights), da, Keccak.hash(
                "da-epoch-network-test/table".getBytes(StandardCharsets.UTF_8), Abi.uint64Word(epoch))));
    }

    @Test
    void certificatesCarryTheJoinerAndNotTheExiterAndTheNetworkDecidesWithTheExiterStopped() {
        try (LocalCluster c = new LocalCluster(dir, false, false, GENESIS, new Boolean[] {true, true, true, false, true})) {
            c.epochs = Epochs.of(SCHEDULE, DaEpochNetworkTest::table);
            c.startAll();
            long inNewCommittee = SCHEDULE.firstHeight(HANDOVER_EPOCH) + 2;
            Await.until("every node decided height " + inNewCommittee, Duration.ofSeconds(30),
                    () -> Arrays.stream(c.nodes).allMatch(n -> n.height() >= inNewCommittee));
            c.stop(EXITER);
            long stoppedAt = c.nodes[WATCHER].height();
            long target = Math.max(SCHEDULE.firstHeight(HANDOVER_EPOCH + 2) + 1, stoppedAt + SCHEDULE.epochBlocks());
            Await.until("the others decided height " + target + " without node " + EXITER, Duration.ofSeconds(40),
                    () -> running(c).stream().allMatch(n -> n.height() >= target));

            for (long h = 1; h <= target; h++) {
                byte[] commitment = c.nodes[WATCHER].store().decided(h).orElseThrow().commitment();
                for (CortadoNode n : running(c)) {
                    assertArrayEquals(commitment, n.store().decided(h).orElseThrow().commitment(), "height " + h);
                }
            }
            List<RecentDaCerts.Signed> certs = c.nodes[WATCHER].daGate.recentCertificates().snapshot();
            boolean oldCommittee = false;
            boolean newCommitteeAfterStop = false;
            for (RecentDaCerts.Signed s : certs) {
                if (SCHEDULE.epochOf(s.height()) < HANDOVER_EPOCH) {
                    assertTrue(s.signers().get(EXITER), "epoch 0/1 certificate at " + s.height() + " lacks index 0: " + s);
                    assertFalse(s.signers().get(JOINER), "the joiner signed a certificate at " + s.height() + ": " + s);
                    oldCommittee = true;
                } else {
                    assertTrue(s.signers().get(JOINER), "certificate at " + s.height() + " lacks the joiner: " + s);
                    assertFalse(s.signers().get(EXITER), "the exiter signed a certificate at " + s.height() + ": " + s);
                    newCommitteeAfterStop |= s.height() > stoppedAt;
                }
                assertFalse(s.signers().get(3), "index 3 is not configured with da: " + s);
            }
            assertTrue(oldCommittee, "certificates of the genesis committee were seen: " + certs.size());
            assertTrue(newCommitteeAfterStop, "certificates of the new committee after the exiter stopped");
            System.out.println("DaEpochNetworkTest: " + certs.size() + " DA certificates seen by node " + WATCHER
                    + ", exiter stopped at height " + stoppedAt + ", decided to " + target);
        }
    }

    private static List<CortadoNode> running(LocalCluster c) {
        return Arrays.stream(c.nodes).filter(Objects::nonNull).toList();
    }
}
