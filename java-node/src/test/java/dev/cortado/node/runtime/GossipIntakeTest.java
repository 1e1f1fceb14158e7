package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.mempool.Mempool;
import dev.cortado.node.mempool.MempoolLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GossipIntakeTest {
    private static NodeMessage.TxBatch batch(String tag, int count, int bytes) {
        List<NodeMessage.Tx> txs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[bytes];
            byte[] id = (tag + i).getBytes();
            System.arraycopy(id, 0, payload, 0, id.length);
            txs.add(new NodeMessage.Tx(1 + i % 4, payload));
        }
        return new NodeMessage.TxBatch(txs);
    }

    @Test
    void aBatchIsShedUnsubmittedOnceTheMempoolHoldsItsBacklogBound() {
        Mempool mempool = new Mempool(new MempoolLimits(1 << 20, 16L << 20, 64L << 20, 500_000), h -> false);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        long bound = 100 * 204; // a hundred 200-byte transactions with their length prefixes
        GossipIntake intake = new GossipIntake(mempool, registry, "test-gossip-in", bound);

        assertTrue(intake.submit(batch("a", 99, 200)), "below the bound the batch is submitted");
        assertEquals(99, mempool.size());
        assertTrue(intake.submit(batch("b", 5, 200)), "one transaction short of the bound: still submitted whole");
        assertEquals(104, mempool.size());

        assertFalse(intake.submit(batch("c", 10, 200)), "at the bound the batch is shed");
        assertEquals(104, mempool.size(), "nothing of the shed batch reached the mempool");
        assertEquals(1.0, registry.get("cortado_gossip_batches_shed_total").counter().count());

        mempool.removeDecided(mempool.select(1 << 20, java.util.Set.of()).stream().map(t -> t.hash()).toList());
        assertTrue(intake.submit(batch("d", 3, 200)), "once blocks drain the backlog, gossip is taken again");
        assertEquals(3, mempool.size());
    }
}
