package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.storage.DecidedBlock;
import dev.cortado.node.testing.Await;
import dev.cortado.protocol.block.BlockHeader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Header timestamps on real sockets with skewed clocks (issue 9, fault 7): node 1's clock runs 2 s fast, inside the
 * 5 s drift bound, so its blocks are decided; node 2's runs 60 s fast, so the others refuse its headers and its
 * views pass without a block of its own, while the network keeps deciding.
 */
class ClockDriftNetworkTest {
    @TempDir Path dir;
    private final NodeHttp http = new NodeHttp();

    @Test
    void blocksWithinTheDriftAreDecidedAndBlocksBeyondItAreNot() throws Exception {
        RuntimeFixtures f = new RuntimeFixtures();
        try (LocalCluster c = new LocalCluster(4, dir, false)) {
            c.start(0);
            c.start(1, NodeClock.skewed(2_000));
            c.start(2, NodeClock.skewed(60_000));
            c.start(3);
            List<String> hashes = new ArrayList<>();
            int[] honest = {0, 1, 3};
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int i = 0; (i < 24 || c.nodes[2].metrics().proposals() < 2) && System.nanoTime() < deadline; i++) {
                hashes.add(http.submit(c.nodes[honest[i % 3]], 40, ("drift-" + i).getBytes()));
                Thread.sleep(50);
            }
            assertTrue(c.nodes[2].metrics().proposals() >= 2, "node 2 led and proposed");
            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + " decided every tx", Duration.ofSeconds(60),
                        () -> hashes.stream().allMatch(h -> n.store().txLocation(HexFormat.of().parseHex(h.substring(2))).isPresent()));
            }
            Set<Integer> leaders = new TreeSet<>();
            CortadoNode n0 = c.nodes[0];
            for (DecidedBlock b : n0.store().decidedRange(1, (int) n0.store().latestHeight())) {
                leaders.add(f.leader(BlockHeader.decode(b.header()).view().value()));
            }
            assertTrue(leaders.contains(1), "a leader 2 s fast had blocks decided: " + leaders);
            assertEquals(Set.of(0, 1, 3), leaders, "no block of the leader 60 s fast was decided");
            // Node 2 counted its proposals when it sent them; node 0's event thread may still be about to refuse one.
            Await.until("node 0 refused node 2's headers", Duration.ofSeconds(10), () -> n0.metrics().blocksRejected.count() > 0);
        }
    }
}
