package dev.cortado.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.protocol.epoch.EpochSchedule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code [epochs]} table of node.toml: epoch length and snapshot lead, each refusal with its message. */
class EpochConfigTest {
    private static final String L1 = """

        [l1]
        rpc_url = "http://127.0.0.1:8545"
        chain_id = 31337
        marketplace = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
        stake_table = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
        """;

    private static String epochs(long blocks, long lead) {
        return NodeConfigTest.valid() + L1 + """

        [epochs]
        blocks = %d
        snapshot_lead_blocks = %d
        """.formatted(blocks, lead);
    }

    private static List<String> problems(String text) {
        return assertThrows(ConfigException.class, () -> NodeConfig.parse(text, Path.of("/x"))).problems();
    }

    @Test
    void withoutAnEpochsTableTheNetworkKeepsOneTable() throws ConfigException {
        assertTrue(NodeConfig.parse(NodeConfigTest.valid() + L1, Path.of("/x")).epochs().isEmpty());
    }

    @Test
    void parsesEpochsAndTheirSchedule() throws ConfigException {
        EpochSettings e = NodeConfig.parse(epochs(100, 10), Path.of("/x")).epochs().orElseThrow();
        assertEquals(new EpochSettings(100, 10), e);
        assertEquals(new EpochSchedule(100, 10), e.schedule());
        assertEquals(new EpochSettings(4, 3), NodeConfig.parse(epochs(4, 3), Path.of("/x")).epochs().orElseThrow(),
                "the shortest epochs allowed");
    }

    @Test
    void refusesEpochsTooShortForTheLead() {
        assertEquals(List.of("epochs.blocks: must be at least 4 (the snapshot lead of at least 3 blocks must fit before"
                + " the epoch's last block), got 3"), problems(epochs(3, 3)));
    }

    @Test
    void refusesALeadThatTheHandoverAloneCouldDecide() {
        String why = ": HotStuff-2 decides a block two leaves deep, so with a smaller lead the snapshot block could be"
                + " decided only by the handover block, whose leader needs the next table to propose it";
        assertEquals(List.of("epochs.snapshot_lead_blocks: must be at least 3, got 2" + why), problems(epochs(10, 2)));
        assertEquals(List.of("epochs.snapshot_lead_blocks: must be at least 3, got 1" + why), problems(epochs(10, 1)));
    }

    @Test
    void refusesALeadThatReachesIntoThePreviousEpoch() {
        assertEquals(List.of("epochs.snapshot_lead_blocks: must be below epochs.blocks (10), got 10: the snapshot block"
                + " must lie inside the epoch it hands over from"), problems(epochs(10, 10)));
    }

    @Test
    void refusesEpochsWithoutAnL1TableMissingFieldsAndUnknownOnes() {
        String noL1 = NodeConfigTest.valid() + """

        [epochs]
        blocks = 10
        snapshot_lead_blocks = 3
        """;
        assertEquals(List.of("epochs: requires an [l1] table: each epoch's stake table is read from StakeTable.sol"),
                problems(noL1));
        String incomplete = NodeConfigTest.valid() + L1 + """

        [epochs]
        lead = 3
        """;
        assertEquals(List.of("epochs.lead: unknown field (known: blocks, snapshot_lead_blocks)", "epochs.blocks: required",
                "epochs.snapshot_lead_blocks: required"), problems(incomplete));
        assertEquals(List.of("epochs.blocks: must be between 1 and 1099511627776, got 0"), problems(epochs(0, 3)));
        assertEquals(List.of("epochs: expected a table [epochs]"), problems("epochs = 3\n" + NodeConfigTest.valid() + L1));
    }

    @Test
    void theSettingsRecordRefusesWhatTheFileWould() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EpochSettings(10, 2));
        assertEquals("epochs need 4..1099511627776 blocks and a snapshot lead of 3..blocks − 1, got 10 blocks and a"
                + " lead of 2", e.getMessage());
    }

    @Test
    void aPeerWithoutStakeNeedsEpochsAndTheLastPlacesAndMayServeDa() throws ConfigException {
        String unstaked = epochs(8, 3).replace("stake_gwei = 5", "stake_gwei = 0");
        NodeConfig c = NodeConfig.parse(unstaked, Path.of("/x"));
        assertEquals(0, c.peers().get(1).stakeGwei(), "the fifth validator, not on L1 yet, is a configured peer");

        assertEquals(List.of("peers[1].stake_gwei: 0 needs an [epochs] table: without epochs the genesis stake is fixed"
                        + " and a peer without stake could never vote"),
                problems(NodeConfigTest.valid().replace("stake_gwei = 5", "stake_gwei = 0") + L1));
        // A joiner configured with da serves on the DA committee of each epoch whose table gives it stake.
        NodeConfig daJoiner = NodeConfig.parse(unstaked.replace("da = false", "da = true"), Path.of("/x"));
        assertTrue(daJoiner.peers().get(1).da());
        assertEquals(0, daJoiner.peers().get(1).stakeGwei());
        String unstakedFirst = epochs(8, 3).replaceFirst("address = \"127.0.0.1:9000\"",
                "address = \"127.0.0.1:9000\"\nstake_gwei = 0\nda = false").replace("stake_gwei = 5\nda = false",
                "stake_gwei = 5");
        assertEquals(List.of("peers[1].stake_gwei: a staked peer must come before every peer with stake_gwei = 0"),
                problems(unstakedFirst));
    }
}
