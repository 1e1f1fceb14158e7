package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.mempool.Mempool;
import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.protocol.block.KnownTxHashes;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BlocksTest {
    /**
     * Fault 12: a leader listed hashes in mempool order while the payload groups by namespace, so its
     * decided index answered GET /v0/tx/{hash} with another transaction. The i-th hash must be the
     * i-th transaction of the payload.
     */
    @Test
    void builtBlockListsHashesInPayloadOrder() {
        Blocks blocks = new Blocks(7, 4, 0);
        long[] namespaces = {50, 3, 50, 9, 3, 1, 50, 9};
        List<PendingTx> txs = new ArrayList<>();
        for (int i = 0; i < namespaces.length; i++) {
            txs.add(PendingTx.of(namespaces[i], ("tx-" + i).getBytes()));
        }
        Blocks.Block b = blocks.build(1, 1, Bytes32.ZERO, 1_000, Bytes32.ZERO, txs);
        List<Bytes32> fromPayload = b.payload().allTransactions().stream().map(Transaction::hash).toList();
        assertEquals(fromPayload, b.txHashes());
        // Submission order is kept inside a namespace.
        assertEquals(List.of(txs.get(5).hash(), txs.get(1).hash(), txs.get(4).hash(), txs.get(3).hash(), txs.get(7).hash(),
                txs.get(0).hash(), txs.get(2).hash(), txs.get(6).hash()), b.txHashes());
    }

    /**
     * A replica hashes each transaction once, on submission or gossip: when it checks a block, the transactions
     * its mempool holds take the mempool's hash object itself (compared by bytes, not recomputed), and only the
     * one it never saw is hashed, correctly. The leader's block carries its mempool's hash objects too.
     */
    @Test
    void checkingABlockTakesTheMempoolsHashesForTransactionsItHolds() throws BlockRejected {
        List<PendingTx> txs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            txs.add(PendingTx.of(i % 3, ("tx-" + i).getBytes()));
        }
        Blocks leader = new Blocks(7, 4, 0);
        Blocks.Block built = leader.build(1, 1, Bytes32.ZERO, 1_000, Bytes32.ZERO, txs);
        for (Transaction t : built.payload().allTransactions()) {
            PendingTx from = txs.stream().filter(p -> t.sameAs(p.namespace(), p.payload())).findFirst().orElseThrow();
            assertSame(from.hash(), t.hash());
        }

        Mempool replicaPool = new Mempool(MempoolLimits.defaults(), h -> false);
        PendingTx unseen = txs.get(4);
        for (PendingTx tx : txs) {
            if (tx != unseen) {
                replicaPool.submit(tx.namespace(), tx.payload());
            }
        }
        AtomicInteger asked = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        KnownTxHashes counting = (ns, payload) -> {
            asked.incrementAndGet();
            Bytes32 h = replicaPool.knownHash(ns, payload);
            if (h != null) {
                answered.incrementAndGet();
            }
            return h;
        };
        Leaf leaf = new Leaf(7, new dev.cortado.protocol.types.View(1), new dev.cortado.protocol.types.Height(1), Bytes32.ZERO,
                built.commitment(), new dev.cortado.protocol.types.View(0));
        Blocks.Block checked = new Blocks(7, 4, 1, counting).check(built.data(), leaf);

        assertEquals(6, asked.get());
        assertEquals(5, answered.get());
        assertEquals(built.txHashes(), checked.txHashes());
        assertEquals(built.header().payloadRoot(), checked.payload().payloadRoot());
        List<Transaction> parsed = checked.payload().allTransactions();
        for (int i = 0; i < parsed.size(); i++) {
            Transaction t = parsed.get(i);
            Bytes32 pooled = replicaPool.knownHash(t.namespace().value(), t.payload());
            if (pooled == null) {
                assertEquals(unseen.hash(), t.hash());
            } else {
                assertSame(pooled, t.hash());
            }
        }
        // Without a mempool every hash is computed afresh, to the same values.
        Blocks.Block plain = new Blocks(7, 4, 1).check(built.data(), leaf);
        assertEquals(built.txHashes(), plain.txHashes());
        assertNotSame(built.txHashes().getFirst(), plain.txHashes().getFirst());
    }
}
