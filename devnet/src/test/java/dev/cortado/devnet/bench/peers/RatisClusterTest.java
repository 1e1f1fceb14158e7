package dev.cortado.devnet.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.bench.OfferedLoad;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four real Ratis peer processes commit batches, and every peer applies each transaction exactly once. */
class RatisClusterTest {
    static final int TX_BYTES = 200;

    @Test
    void fourPeersCommitAndCountEveryTransactionExactlyOnce(@TempDir Path dir) throws Exception {
        byte[] pad = new byte[TX_BYTES];
        try (RatisCluster c = new RatisCluster(dir, 4)) {
            c.awaitLeader(60_000);
            List<CompletableFuture<RaftClientReply>> replies = new ArrayList<>();
            long first = 0;
            for (int b = 1; b <= 30; b++) {
                OfferedLoad.Batch batch = new OfferedLoad.Batch(first, b, true, pad);
                first += b;
                replies.add(c.client.async().send(Message.valueOf(ByteString.copyFrom(TxBatch.encode(batch)))));
            }
            long total = first;
            long lastTotal = 0;
            for (CompletableFuture<RaftClientReply> f : replies) {
                RaftClientReply r = f.get(60, TimeUnit.SECONDS);
                assertTrue(r.isSuccess(), () -> "commit failed: " + r.getException());
                lastTotal = Math.max(lastTotal, r.getMessage().getContent().asReadOnlyByteBuffer().getLong());
            }
            assertEquals(total, lastTotal, "the leader's running count after the last batch");

            // A corrupt entry is refused before the log, so no peer counts it.
            byte[] corrupt = ByteBuffer.allocate(12).putShort((short) 40).put(new byte[10]).array();
            StateMachineException refused = assertThrows(StateMachineException.class,
                    () -> c.client.io().send(Message.valueOf(ByteString.copyFrom(corrupt))));
            assertTrue(refused.getMessage().endsWith(": refused batch: transaction 0 declares 40 bytes, 10 remain"), refused::getMessage);

            for (int i = 0; i < 4; i++) {
                CountingStateMachine.Counts counts = awaitCount(c, i, total);
                assertEquals(new CountingStateMachine.Counts(total, total * TX_BYTES), counts, "peer " + i);
            }
        }
    }

    @Test
    void decoderRefusesEmptyTruncatedAndOverlongBatches() {
        assertEquals("empty batch", assertThrows(IllegalArgumentException.class, () -> TxBatch.count(ByteBuffer.allocate(0))).getMessage());
        assertEquals("truncated length at transaction 1: 1 byte left", assertThrows(IllegalArgumentException.class,
                () -> TxBatch.count(ByteBuffer.wrap(new byte[] {0, 1, 9, 0}))).getMessage());
        assertEquals("transaction 0 declares 0 bytes, 0 remain", assertThrows(IllegalArgumentException.class,
                () -> TxBatch.count(ByteBuffer.wrap(new byte[] {0, 0}))).getMessage());
        assertEquals(3, TxBatch.count(ByteBuffer.wrap(TxBatch.encode(new OfferedLoad.Batch(5, 3, false, new byte[TX_BYTES])))));
    }

    /** Followers apply a commit after the leader tells them of it; waits for that, then reads the final count. */
    private static CountingStateMachine.Counts awaitCount(RatisCluster c, int peer, long expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        CountingStateMachine.Counts counts = c.counts(peer);
        while (counts.txs() < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            counts = c.counts(peer);
        }
        return counts;
    }
}
