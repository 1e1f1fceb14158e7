package dev.cortado.node.mempool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client pushback: the backlog limit on client submissions, against the mempool alone. */
class MempoolBacklogTest {
    /** Room for many blocks in all, so only the backlog (three 1000-byte entries) limits clients. */
    private static final MempoolLimits LIMITS = new MempoolLimits(1000, 100_000, 100_000, 1000, 3000);

    /** A transaction taking exactly 1000 block bytes (4-byte prefix and 996 bytes). */
    private static Mempool.Submission tx(int tag) {
        byte[] b = new byte[996];
        java.util.Arrays.fill(b, (byte) tag);
        return new Mempool.Submission(1, b);
    }

    private static SubmitResult client(Mempool m, int tag) {
        return m.submitFromClient(List.of(tx(tag))).getFirst();
    }

    private static SubmitResult.Refused backlog(SubmitResult r) {
        SubmitResult.Refused f = assertInstanceOf(SubmitResult.Refused.class, r);
        assertEquals(SubmitResult.Reason.BACKLOG, f.reason());
        return f;
    }

    @Test
    void refusesOnceTheBacklogReachesTheLimitAndAcceptsAgainWhenBlocksDecide() {
        Mempool m = new Mempool(LIMITS, h -> false);
        List<Bytes32> taken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertNull(m.backlogRefusal(), "backlog " + m.totalBytes() + " is under the limit");
            taken.add(assertInstanceOf(SubmitResult.Accepted.class, client(m, i)).hash());
        }
        assertEquals(3000, m.totalBytes());
        SubmitResult.Refused refused = backlog(client(m, 9));
        assertTrue(refused.detail().contains("3000 pending bytes") && refused.detail().contains("limit of 3000 bytes"),
                refused.detail());
        assertEquals(refused, m.backlogRefusal());
        assertEquals(3, m.size());

        // A decided block brings the backlog under the limit: the same transaction is taken now.
        m.removeDecided(List.of(taken.getFirst()));
        assertNull(m.backlogRefusal());
        assertInstanceOf(SubmitResult.Accepted.class, client(m, 9));
        backlog(client(m, 10));
    }

    @Test
    void aBatchIsRefusedWholeAndNothingOfItIsAdmitted() {
        Mempool m = new Mempool(LIMITS, h -> false);
        m.submitFromClient(List.of(tx(0), tx(1), tx(2)));
        List<Mempool.Submission> batch = List.of(tx(3), new Mempool.Submission(1, new byte[0]), tx(4));
        List<SubmitResult> r = m.submitFromClient(batch);
        assertEquals(3, r.size());
        r.forEach(MempoolBacklogTest::backlog);
        assertEquals(3, m.size());
        assertEquals(3000, m.totalBytes());
    }

    @Test
    void theLimitIsCheckedBeforeTheBatchSoABatchUnderItIsTakenWhole() {
        Mempool m = new Mempool(LIMITS, h -> false);
        m.submitFromClient(List.of(tx(0), tx(1)));
        // 2000 pending: under the limit, so all three are admitted even though they take the backlog to 5000.
        List<SubmitResult> r = m.submitFromClient(List.of(tx(2), tx(3), tx(4)));
        r.forEach(x -> assertInstanceOf(SubmitResult.Accepted.class, x));
        assertEquals(5000, m.totalBytes());
    }

    @Test
    void aBacklogThatFillsWhileTheBatchIsHashedStillRefusesItWhole() {
        Mempool[] pool = new Mempool[1];
        boolean[] raced = {false};
        // Between the cheap check and the admission, gossip fills the pool to the backlog limit.
        DecidedIndex racing = new DecidedIndex() {
            @Override
            public boolean contains(Bytes32 h) {
                return false;
            }

            @Override
            public boolean[] containsAll(List<Bytes32> hashes) {
                if (!raced[0]) {
                    raced[0] = true;
                    pool[0].submitAll(List.of(tx(100), tx(101), tx(102)));
                }
                return DecidedIndex.super.containsAll(hashes);
            }
        };
        pool[0] = new Mempool(LIMITS, racing);
        List<SubmitResult> r = pool[0].submitFromClient(List.of(tx(1), tx(2)));
        r.forEach(MempoolBacklogTest::backlog);
        assertEquals(3, pool[0].size(), "only the gossiped transactions are pending");
    }

    @Test
    void gossipFromPeersIsNotHeldToTheBacklog() {
        Mempool m = new Mempool(LIMITS, h -> false);
        m.submitAll(List.of(tx(0), tx(1), tx(2)));
        backlog(client(m, 3));
        // Peers' transactions were accepted by another node already; refusing them here would not shrink the work.
        assertInstanceOf(SubmitResult.Accepted.class, m.submitAll(List.of(tx(4))).getFirst());
        assertInstanceOf(SubmitResult.Accepted.class, m.submit(1, tx(5).payload()));
    }

    @Test
    void theConfiguredLimitIsBlocksTimesBlockBytesWithAFloor() {
        assertEquals(4L * (4 << 20), MempoolLimits.backlogBytes(4, 4 << 20));
        assertEquals(MempoolLimits.MIN_BACKLOG_BYTES, MempoolLimits.backlogBytes(4, 1 << 20), "4 MiB is under the 8 MiB floor");
        assertEquals(8L << 20, MempoolLimits.MIN_BACKLOG_BYTES);
        assertEquals(9L << 20, MempoolLimits.backlogBytes(9, 1 << 20));
        assertEquals(MempoolLimits.MIN_BACKLOG_BYTES, new MempoolLimits(1 << 20, 1 << 24, 1 << 27, 1000).maxBacklogBytes());
        assertThrows(IllegalArgumentException.class, () -> MempoolLimits.backlogBytes(0, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> LIMITS.withMaxBacklogBytes(0));
    }
}
