package dev.cortado.devnet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The story's reading of what nodes answer: the rights in {@code /v0/status} (a fallback comes from there only), the
 * confirmation levels of {@code /v0/tx/{hash}}, and the terminal line built from them.
 */
class StoryPictureTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SWAPPER = "0x00000000000000000000000000000000000000b1";
    static final String DEFAULT_ALPHA = "0x00000000000000000000000000000000000000d1";

    @Test
    void theNodesRightsAreParsedAndAnythingMalformedIsRefused() {
        StorySnapshot.NetworkRights r = NodeWatch.rights(JSON.readTree("""
                {"height": 120, "window": 6, "slot": 51, "l1Head": 70, "namespaces": [
                  {"namespace": 20001, "holder": "0x00000000000000000000000000000000000000D1", "reason": "fallback"},
                  {"namespace": 20003, "holder": "0x00000000000000000000000000000000000000d3", "reason": "unsold"}]}"""));
        assertEquals(120, r.height());
        assertEquals(DEFAULT_ALPHA, r.in(6, 20001).holderAddress(), "addresses are kept in lower case");
        assertTrue(r.in(6, 20001).fallback());
        assertTrue(!r.in(6, 20003).fallback());
        assertNull(r.in(7, 20001), "rights of window 6 say nothing about window 7");
        assertNull(r.in(6, 20002), "an unregistered namespace has no holder");
        for (String bad : List.of("null", "[]", "{\"height\": 1, \"window\": 0, \"slot\": 0}",
                "{\"height\": 1, \"window\": 0, \"slot\": 0, \"namespaces\": [{\"namespace\": 1, \"holder\": \"0x12\", \"reason\": \"sold\"}]}",
                "{\"height\": 1, \"window\": 0, \"slot\": 0, \"namespaces\": [{\"namespace\": 1, \"holder\": \"" + SWAPPER
                        + "\", \"reason\": \"mine\"}]}",
                "{\"height\": -1, \"window\": 0, \"slot\": 0, \"namespaces\": []}",
                "{\"height\": \"x\", \"window\": 0, \"slot\": 0, \"namespaces\": []}")) {
            assertNull(NodeWatch.rights(JSON.readTree(bad)), bad);
        }
    }

    @Test
    void levelsFollowTheNodesAnswersAndOnlyGrow() {
        TxTracker.Tx t = new TxTracker.Tx("0xab", "alpha", 20001, "swap", "swapper", 1_000, 40L, "", null, null, null, null, null);
        TxTracker.Tx pooled = TxTracker.advanced(t, conf("{\"level\": \"pre_confirmed\", \"preConfirmed\": {}}"), 1_200);
        assertEquals("pre_confirmed", pooled.level());
        assertEquals(200L, pooled.pooledMs());
        TxTracker.Tx decided = TxTracker.advanced(pooled, conf("{\"level\": \"hotshot_final\", \"height\": 42, \"view\": 44}"), 1_900);
        assertEquals(900L, decided.decidedMs());
        assertEquals(42L, decided.height());
        assertNull(decided.l1Ms());
        assertEquals(decided, TxTracker.advanced(decided, conf("{\"level\": \"pre_confirmed\"}"), 2_000), "a lagging node lowers nothing");
        assertEquals(decided, TxTracker.advanced(decided, conf("{\"level\": \"l1_final\", \"height\": 42}"), 2_000),
                "L1-final without the L1 block it was read at is not believed");
        assertEquals(decided, TxTracker.advanced(decided, conf("{\"level\": \"final\", \"height\": 42}"), 2_000));
        TxTracker.Tx l1 = TxTracker.advanced(decided, conf("{\"level\": \"l1_final\", \"height\": 42, \"view\": 44, \"l1\": "
                + "{\"l1Block\": 77, \"lightClientHeight\": 50, \"lightClientView\": 52, \"blockCommRoot\": \"0x00\"}}"), 9_000);
        assertEquals(8_000L, l1.l1Ms());
        assertEquals(77L, l1.l1Block());
        assertEquals(900L, l1.decidedMs(), "the decided time stays the first one seen");
        TxTracker.Tx skipped = TxTracker.advanced(t, conf("{\"level\": \"hotshot_final\"}"), 1_500);
        assertEquals(t, skipped, "a decided answer without a height changes nothing");
    }

    @Test
    void theLineSaysFallbackOnlyWhenTheNodesReportItForThisWindow() {
        StorySnapshot.NetworkRights fellBack = new StorySnapshot.NetworkRights(120, 6, 51, List.of(
                new StorySnapshot.NamespaceRight(20001, "default (alpha)", DEFAULT_ALPHA, "fallback"),
                new StorySnapshot.NamespaceRight(20002, "default (beta)", "0x00000000000000000000000000000000000000d2", "fallback"),
                new StorySnapshot.NamespaceRight(20003, "default (gamma)", "0x00000000000000000000000000000000000000d3", "unsold")));
        String line = StoryView.line(snapshot(6, fellBack));
        assertTrue(line.contains("| alpha fallback (swapper silent), beta fallback (swapper silent), gamma default |"), line);
        String before = StoryView.line(snapshot(6, new StorySnapshot.NetworkRights(110, 6, 49, List.of(
                new StorySnapshot.NamespaceRight(20001, "swapper", SWAPPER, "sold")))));
        assertTrue(before.contains("| alpha swapper (silent), beta swapper (silent), gamma default |"), before);
        String stale = StoryView.line(snapshot(7, fellBack));
        assertTrue(!stale.contains("fallback"), "window 6's fallback is not window 7's: " + stale);
    }

    @Test
    void theLineShowsTheEpochAndItsTableSizeOnlyWithEpochs() {
        StorySnapshot oneTable = snapshot(6, null);
        assertTrue(!StoryView.line(oneTable).contains("epoch"), StoryView.line(oneTable));
        StorySnapshot.HotShot h = oneTable.hotShot();
        StorySnapshot withEpochs = new StorySnapshot(oneTable.nowMs(), oneTable.clock(), oneTable.parts(),
                new StorySnapshot.HotShot(h.height(), h.view(), h.leader(), h.decidesPerSec(), h.history(), 3, 5,
                        List.of("validator 4 is in the table from epoch 2")), oneTable.lightClient(), oneTable.batches(),
                oneTable.windows(), oneTable.transactions(), oneTable.nodes(), oneTable.rights(), oneTable.bundlesSent(), "");
        String line = StoryView.line(withEpochs);
        assertTrue(line.contains("| HotShot 130 | epoch 3 (5 validators) | LC on L1 110 |"), line);
    }

    private static JsonNode conf(String json) {
        return JSON.readTree(json);
    }

    /** A silent window {@code window} sold to swapper for alpha and beta, gamma unsold. */
    static StorySnapshot snapshot(long window, StorySnapshot.NetworkRights rights) {
        long slot = window * 8 + 3;
        List<DemoMarket.HolderRow> holders = List.of(
                new DemoMarket.HolderRow("alpha", 20001, "4000000000000000", "swapper", SWAPPER, "0"),
                new DemoMarket.HolderRow("beta", 20002, "2000000000000000", "swapper", SWAPPER, "0"),
                new DemoMarket.HolderRow("gamma", 20003, "6000000000000000", "default (gamma)",
                        "0x00000000000000000000000000000000000000d3", "0"));
        DemoMarket.WindowRow row = new DemoMarket.WindowRow(window, "FINAL", window * 8 - 7, window * 8 - 4, window * 8 - 2,
                window * 8, List.of(), "9000000000000000", holders, true, "");
        return new StorySnapshot(1_700_000_000_000L, new StorySnapshot.Clock(1_700_000_000L, 2, slot, window, 8, 3, 2, 2, 3, 90),
                new StorySnapshot.Parts(true, true, true, 3, true, true),
                new StorySnapshot.HotShot(130, 140, 2, 1.5, List.of(new long[] {1_700_000_000_000L, 130})),
                new StorySnapshot.LightClient(110, 85, 5, 20), List.of(), List.of(row),
                new StorySnapshot.Transactions(List.of(), 12, 100, 400, 200, 10, 0, ""),
                List.of(new StorySnapshot.NodeHealth(0, 130, 140, 3, "broker 127.0.0.1:4000", 0, true)), rights, Map.of(), "");
    }
}
