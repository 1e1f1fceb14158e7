package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sequencing rights on real sockets (issue 11): namespace 11 is sold to a winner in the current window. Nodes 0-2
 * follow that marketplace state; node 3 is Byzantine, reading a marketplace where nothing is registered, so it
 * accepts a loose transaction for namespace 11 and puts it in every block it leads. The honest replicas reject
 * those blocks, which are never decided, while open-namespace traffic is decided as normal. The honest nodes run a
 * 3-slot silence rule and the winner sends nothing, so by the current slot (5) it has fallen back: their status
 * names the default sequencer as the holder, and the namespace stays closed to loose transactions all the same.
 */
class MarketRightsNetworkTest {
    private static final long SOLD = 11;
    private static final long OPEN = 40;
    private static final long L1_BLOCK = 5;
    private static final long SILENCE_SLOTS = 3;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @TempDir Path dir;
    private final NodeHttp http = new NodeHttp();

    @Test
    void aByzantineLeadersLooseTransactionInASoldNamespaceIsRejectedAndNeverDecided() throws Exception {
        RuntimeFixtures f = new RuntimeFixtures();
        long genesisSec = System.currentTimeMillis() / 1000 - 60;
        FixedMarketState sold = FixedMarketState.soldNamespace(SOLD, L1_BLOCK, genesisSec);
        try (LocalCluster c = new LocalCluster(4, dir, false)) {
            for (int i = 0; i < 4; i++) {
                c.start(i).followL1(i == 3 ? FixedMarketState.open(L1_BLOCK, genesisSec) : sold, 16,
                        FixedMarketState.CHAIN_ID, FixedMarketState.MARKETPLACE, SILENCE_SLOTS);
            }
            // Node 3 runs no admission check (no marketplace attached to its API), so it takes the loose transaction.
            String loose = http.submit(c.nodes[3], SOLD, "loose-in-sold".getBytes());
            List<String> open = new ArrayList<>();
            int[] honest = {0, 1, 2};
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long proposalsBefore = c.nodes[3].metrics().proposals();
            for (int i = 0; (i < 24 || c.nodes[3].metrics().proposals() < proposalsBefore + 2) && System.nanoTime() < deadline; i++) {
                open.add(http.submit(c.nodes[honest[i % 3]], OPEN, ("open-" + i).getBytes()));
                Thread.sleep(50);
            }
            assertTrue(c.nodes[3].metrics().proposals() >= proposalsBefore + 2, "node 3 led and proposed");
            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + " decided every open tx", Duration.ofSeconds(60),
                        () -> open.stream().allMatch(h -> decided(n, h)));
            }
            for (CortadoNode n : c.nodes) {
                assertFalse(decided(n, loose), "node " + n.index() + " decided the loose tx of the sold namespace");
            }
            CortadoNode n0 = c.nodes[0];
            Set<Integer> leaders = new TreeSet<>();
            for (DecidedBlock b : n0.store().decidedRange(1, (int) n0.store().latestHeight())) {
                BlockHeader h = BlockHeader.decode(b.header());
                leaders.add(f.leader(h.view().value()));
                assertEquals(L1_BLOCK, h.l1Head(), "every decided header names the L1 block its state was read at");
            }
            assertEquals(Set.of(0, 1, 2), leaders, "no block of the Byzantine leader was decided");
            for (int i : honest) {
                // Node 3 counted its proposals when it sent them; node i's event thread may still be about to refuse one.
                CortadoNode n = c.nodes[i];
                Await.until("node " + i + " rejected node 3's blocks", Duration.ofSeconds(10), () -> n.metrics().blocksRejected.count() > 0);
                JsonNode rights = JSON.readTree(http.get(c.nodes[i], "/v0/status")).get("rights");
                assertEquals(0, rights.get("window").asLong(), rights.toString());
                assertTrue(rights.get("slot").asLong() >= SILENCE_SLOTS, rights.toString());
                assertEquals(L1_BLOCK, rights.get("l1Head").asLong(), rights.toString());
                assertEquals(1, rights.get("namespaces").size(), rights.toString());
                JsonNode ns = rights.get("namespaces").get(0);
                assertEquals(SOLD, ns.get("namespace").asLong());
                assertEquals("fallback", ns.get("reason").asString(), "the silent winner fell back: " + rights);
                assertEquals(FixedMarketState.DEFAULT.toHex(), ns.get("holder").asString());
            }
            JsonNode byzantine = JSON.readTree(http.get(c.nodes[3], "/v0/status")).get("rights");
            assertEquals(0, byzantine.get("namespaces").size(), "node 3 sees nothing registered: " + byzantine);
        }
    }

    private static boolean decided(CortadoNode n, String hash) {
        return n.store().txLocation(HexFormat.of().parseHex(hash.substring(2))).isPresent();
    }
}
