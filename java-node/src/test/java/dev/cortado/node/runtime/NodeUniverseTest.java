package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.config.PeerEntry;
import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.node.mempool.MempoolLimits;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeUniverseTest {
    private static List<PeerEntry> peers(long[] stakeGwei, boolean[] da) {
        List<PeerEntry> peers = new ArrayList<>();
        for (int i = 0; i < stakeGwei.length; i++) {
            peers.add(new PeerEntry(BlsPeerCrypto.peerKey(TestKeys.keyPair(i).publicKey()),
                    new InetSocketAddress("127.0.0.1", 9000 + i), stakeGwei[i], da[i]));
        }
        return peers;
    }

    @Test
    void anUnstakedPeerIsInTheUniverseButNotInTheGenesisTable() {
        NodeUniverse u = NodeUniverse.of(peers(new long[] {3, 2, 0}, new boolean[] {true, false, false}));
        assertEquals(3, u.size());
        assertEquals(3, u.keys().size());
        assertTrue(u.hasUnstaked());
        assertEquals(2, u.genesis().size(), "the genesis protocol table holds the staked peers");
        for (int i = 0; i < 2; i++) {
            assertEquals(u.keys().get(i), u.genesis().entry(i).key(), "a staked peer's index is its table position");
        }
        assertEquals(3, u.weights().size(), "consensus weights cover the universe");
        assertEquals(0, u.weights().stakeGwei(2));
        assertFalse(u.weights().isMember(2));
        assertEquals(5, u.weights().totalStakeGwei());
        assertEquals(1, u.committee().size());
        assertTrue(u.committee().contains(u.peerKeys().get(0)));
    }

    @Test
    void everyPeerStakedIsTheSingleTableNetwork() {
        NodeUniverse u = NodeUniverse.of(peers(new long[] {1, 1}, new boolean[] {true, true}));
        assertFalse(u.hasUnstaked());
        assertEquals(2, u.genesis().size());
        assertEquals(2, u.committee().size());
    }

    @Test
    void anUnstakedDaPeerIsConfiguredForLaterCommitteesButNotInTheGenesisTable() {
        NodeUniverse u = NodeUniverse.of(peers(new long[] {1, 0}, new boolean[] {true, true}));
        assertEquals(1, u.genesis().size());
        assertTrue(u.committee().contains(u.peerKeys().get(1)), "configured with da: on each epoch's committee it has stake in");
        assertTrue(DaCommittees.of(dev.cortado.node.consensus.Epochs.NONE, u).forEpoch(0).orElseThrow().isMember(0));
        assertFalse(DaCommittees.of(dev.cortado.node.consensus.Epochs.NONE, u).forEpoch(0).orElseThrow().isMember(1),
                "no stake at genesis: not on epoch 0's committee");
    }

    @Test
    void refusesAStakedPeerAfterAnUnstakedOneAndNoStakeAtAll() {
        assertEquals("peer 1 has stake but follows a peer without stake: peers without stake must come last",
                assertThrows(IllegalArgumentException.class,
                        () -> NodeUniverse.of(peers(new long[] {0, 1}, new boolean[] {false, true}))).getMessage());
        assertEquals("no peer has stake: the genesis table cannot be empty", assertThrows(IllegalArgumentException.class,
                () -> NodeUniverse.of(peers(new long[] {0, 0}, new boolean[] {false, false}))).getMessage());
    }

    @Test
    void aNodeWithoutEpochsRefusesAPeerWithoutStakeBeforeOpeningItsStore(@TempDir Path dir) {
        List<PeerEntry> peers = peers(new long[] {1, 1, 1, 0}, new boolean[] {true, true, true, false});
        NodeSettings s = new NodeSettings(7, TestKeys.keyPair(0), peers, List.of(), false, dir.resolve("node0"),
                peers.getFirst().address(), new InetSocketAddress("127.0.0.1", 0), 1_000, 8_000, 1 << 20, 4 << 20, 10_000,
                new MempoolLimits(1 << 20, 8L << 20, 32L << 20, 100_000), 4 << 20, true, 1_000, 50, true);
        assertEquals("a peer without stake needs epochs: only a later epoch can give it stake",
                assertThrows(IllegalArgumentException.class, () -> new CortadoNode(s, NodeEpochs.NONE)).getMessage());
        assertFalse(Files.exists(dir.resolve("node0")), "no store was opened");
    }
}
