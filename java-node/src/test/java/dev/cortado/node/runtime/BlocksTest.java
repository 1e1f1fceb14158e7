package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cortado.node.mempool.PendingTx;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Bytes32;
import java.util.ArrayList;
import java.util.List;
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
}
