package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 10 of issue 9: four nodes on real sockets, DA committee of three (nodes 0..2), so node 3 receives only
 * headers and VID shares. It must still propose on time when it leads (no "not proposing yet" waits for ancestor
 * payloads it was never sent) and decide every block from what it was sent (no "decided without its block").
 */
class LeaderOutsideCommitteeTest {
    @TempDir Path dir;
    private final NodeHttp http = new NodeHttp();

    @Test
    void aLeaderOutsideTheCommitteeProposesOnTimeAndDecidesWithItsBlocks() throws Exception {
        try (LocalCluster c = new LocalCluster(4, dir, true, 3)) {
            c.startAll();
            CortadoNode outsider = c.nodes[3];
            List<String> hashes = new ArrayList<>();
            int i = 0;
            // Keep transactions flowing so that every block carries some and node 3 leads views with undecided ancestors.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (outsider.metrics().proposals() < 12 && System.nanoTime() < deadline) {
                for (int k = 0; k < 4; k++, i++) {
                    hashes.add(http.submit(c.nodes[i % 4], 30 + i % 3, ("tx-" + i).getBytes()));
                }
                Thread.sleep(20);
            }
            assertTrue(outsider.metrics().proposals() >= 12, "node 3 led and proposed in 12 views");
            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + " decided every tx", Duration.ofSeconds(60),
                        () -> hashes.stream().allMatch(h -> n.store().txLocation(HexFormat.of().parseHex(h.substring(2))).isPresent()));
            }
            for (CortadoNode n : c.nodes) {
                assertEquals(0, n.metrics().decidedWithoutBlock(), "node " + n.index() + " decided a block it did not hold");
            }
            // Every ancestor came with its transaction hashes, so building never waits for a payload fetch.
            assertTrue(outsider.metrics().buildsDeferred() == 0,
                    "node 3 waited on ancestor payloads " + outsider.metrics().buildsDeferred() + " times");
        }
    }
}
