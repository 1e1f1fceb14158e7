package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.config.PeerEntry;
import dev.cortado.node.consensus.EpochTable;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.l1.DecidedL1Heads;
import dev.cortado.node.l1.L1EpochTables;
import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.epoch.EpochSchedule;
import dev.cortado.protocol.epoch.ValidatorEvent;
import dev.cortado.protocol.epoch.ValidatorLedger;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The DA committee of an epoch read from L1 follows StakeTable.sol's {@code isDa} (issue 14), over a real
 * {@link ValidatorLedger} fed StakeTable events and the node's own {@link L1EpochTables} and {@link DaCommittees}.
 * Five configured peers: 0..3 staked at genesis, 4 not yet; 0, 1, 2 and 4 configured {@code da}. On L1, 0..3 register
 * at block 100 with {@code isDa} true, false, true, true, and 4 at block 110 with true. Epochs of 8 blocks, lead 3:
 * epoch 1 is read at L1 block 105, epoch 2 at 115.
 */
class DaCommitteeFromL1Test {
    private static final EpochSchedule SCHEDULE = new EpochSchedule(8, 3);
    private static final long STAKE = 10;
    private static final boolean[] CONFIGURED_DA = {true, true, true, false, true};
    private static final boolean[] REGISTERED_DA = {true, false, true, true, true};

    @Test
    void theCommitteeIsWhomL1RegisteredAsDaAmongTheConfiguredDaPeers() {
        List<PeerEntry> peers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            peers.add(new PeerEntry(BlsPeerCrypto.peerKey(key(i)), new InetSocketAddress("127.0.0.1", 9_000 + i),
                    i < 4 ? STAKE : 0, CONFIGURED_DA[i]));
        }
        NodeUniverse universe = NodeUniverse.of(peers);
        ValidatorLedger ledger = new ValidatorLedger(100);
        List<ValidatorEvent> history = new ArrayList<>();
        for (int i = 0; i < 4; i++) history.add(join(100, i, i));
        history.add(join(110, 0, 4));
        ledger.append(history, 200);
        Map<Long, Long> heads = Map.of(SCHEDULE.snapshotHeight(1), 105L, SCHEDULE.snapshotHeight(2), 115L);
        DecidedL1Heads decided = h -> heads.containsKey(h) ? OptionalLong.of(heads.get(h)) : OptionalLong.empty();
        L1EpochTables tables = new L1EpochTables(SCHEDULE, universe.genesis(), universe.keys(), decided,
                ledger::tableAt, 16);
        List<String> warnings = new ArrayList<>();
        DaCommittees committees = DaCommittees.of(Epochs.of(SCHEDULE, tables), universe, warnings::add);

        assertArrayEquals(new int[] {0, 1, 2}, committees.forEpoch(0).orElseThrow().members(),
                "genesis: the configured da peers with stake");
        EpochTable epoch1 = tables.table(1).orElseThrow();
        assertFalse(epoch1.isDaMember(1), "registered with isDa = false");
        assertTrue(epoch1.isDaMember(3), "registered with isDa = true");
        assertNotEquals(universe.genesis().commitment(), epoch1.commitment(),
                "the same keys and stakes, other DA flags: the commitment covers them");
        assertEquals(tables.protocolTable(1).orElseThrow().commitment(), epoch1.commitment());
        assertArrayEquals(new int[] {0, 2}, committees.forEpoch(1).orElseThrow().members(),
                "1 is configured da but registered not-DA; 3 is registered DA but not configured da");
        assertArrayEquals(new int[] {0, 2, 4}, committees.forEpoch(2).orElseThrow().members(),
                "the joiner registered with isDa = true");
        assertEquals(2 * STAKE + STAKE, committees.forEpoch(2).orElseThrow().table().orElseThrow().committeeStakeGwei());

        String reason = " marks index 3 (key " + key(3).toHex() + ") as DA but its [[peers]] entry has no da = true: it"
                + " is sent no full blocks and cannot vote, so it is left out of the DA committee of epoch ";
        assertEquals(List.of("the stake table of epoch 1" + reason + "1 (configure da = true for it on every node to"
                + " match its StakeTable.sol registration)", "the stake table of epoch 2" + reason + "2 (configure da ="
                + " true for it on every node to match its StakeTable.sol registration)"), warnings);
    }

    private static ValidatorEvent.Joined join(long block, int logIndex, int key) {
        return new ValidatorEvent.Joined(block, logIndex, key + 1, key(key).toEip2537(), STAKE, REGISTERED_DA[key]);
    }

    private static BlsPublicKey key(int i) {
        return TestKeys.keyPair(i).publicKey();
    }
}
