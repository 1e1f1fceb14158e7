package dev.cortado.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.l1.L1Settings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code [l1]} table of node.toml: where the L1 and the contracts are and how deep the follower reads. */
class L1ConfigTest {
    private static final String MARKET = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    private static final String STAKE = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

    @Test
    void withoutAnL1TableTheNodeFollowsNothing() throws ConfigException {
        assertTrue(NodeConfig.parse(NodeConfigTest.valid(), Path.of("/x")).l1().isEmpty());
    }

    @Test
    void parsesTheL1TableWithDefaults() throws ConfigException {
        String text = NodeConfigTest.valid() + """

        [l1]
        rpc_url = "http://127.0.0.1:8545"
        chain_id = 31337
        marketplace = "%s"
        stake_table = "%s"
        start_block = 3
        """.formatted(MARKET, STAKE);
        L1Settings l1 = NodeConfig.parse(text, Path.of("/x")).l1().orElseThrow();
        assertEquals("http://127.0.0.1:8545", l1.rpcUrl());
        assertEquals(MARKET, l1.marketplace());
        assertEquals(2, l1.follower().confirmations());
        assertFalse(l1.follower().useFinalizedTag());
        assertEquals(3, l1.follower().startBlock());
        assertEquals(1_000, l1.pollIntervalMs());
        assertEquals(L1Settings.DEFAULT_MAX_L1_LEAD_BLOCKS, l1.maxL1LeadBlocks());
        assertEquals(4, NodeConfig.parse(text + "max_l1_lead_blocks = 4\n", Path.of("/x")).l1().orElseThrow().maxL1LeadBlocks());
        assertEquals(null, l1.lightClient(), "without light_client no height is reported L1-final");
        String lc = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
        assertEquals(lc, NodeConfig.parse(text + "light_client = \"" + lc + "\"\n", Path.of("/x")).l1().orElseThrow().lightClient());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> NodeConfig.parse(text + "light_client = \"0xabc\"\n", Path.of("/x")));
        assertEquals(List.of("l1.light_client: expected 0x and 40 hex digits, got \"0xabc\""), bad.problems());
    }

    @Test
    void reportsEveryBadL1FieldOnItsOwnLine() {
        String text = NodeConfigTest.valid() + """

        [l1]
        rpc_url = "ws://x"
        marketplace = "0x12"
        stake_table = "%s"
        confirmations = 5000
        max_l1_lead_blocks = -1
        colour = "blue"
        """.formatted(STAKE);
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.parse(text, Path.of("/x")));
        assertTrue(e.problems().getFirst().startsWith("l1.colour: unknown field (known: rpc_url, "), e.problems().toString());
        assertEquals(List.of(
                "l1.chain_id: required",
                "l1.marketplace: expected 0x and 40 hex digits, got \"0x12\"",
                "l1.rpc_url: expected an http:// or https:// URL, got \"ws://x\"",
                "l1.confirmations: must be between 0 and 1000, got 5000",
                "l1.max_l1_lead_blocks: must be between 0 and 100000, got -1"), e.problems().subList(1, e.problems().size()));
    }
}
