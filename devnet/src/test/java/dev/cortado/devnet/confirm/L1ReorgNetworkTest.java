package dev.cortado.devnet.confirm;

import static dev.cortado.devnet.contracts.support.Chain.GAS;
import static dev.cortado.devnet.contracts.support.Chain.ok;
import static dev.cortado.devnet.contracts.support.Chain.tm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.devnet.testing.Await;
import dev.cortado.node.l1.MarketAnswer;
import dev.cortado.node.l1.NodeMarket;
import dev.cortado.node.runtime.CortadoNode;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.types.Address;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * An L1 reorg shallower than the confirmation depth, on four running nodes over real sockets: a rollup registered
 * in a block that Anvil then reverts ({@code evm_snapshot}/{@code evm_revert}) and replaces never reaches any
 * node's marketplace view, the registration confirmed before it does on every node, the followers carry on past
 * the replaced blocks without a deep-reorg error, and every decided header's {@code l1Head} names a block whose
 * marketplace state every node reads the same.
 */
class L1ReorgNetworkTest {
    private static final int CONFIRMATIONS = 2;
    private static final long NS_KEPT = 700;
    private static final long NS_REVERTED = 701;
    private static final Address KEPT_SEQ = Address.fromHex("0x00000000000000000000000000000000000000b1");
    private static final Address REVERTED_SEQ = Address.fromHex("0x00000000000000000000000000000000000000b2");

    @Test
    void aReorgBelowTheDepthChangesNothingOnRunningNodes(@TempDir Path dir) throws Exception {
        try (FollowingNetwork n = FollowingNetwork.start(dir, CONFIRMATIONS)) {
            Credentials owner = n.l1.deployer();
            SequencingMarketplace m = SequencingMarketplace.load(n.deployment.marketplace().address(), n.l1.web3j(),
                    tm(n.l1, owner), GAS);
            long keptAt = ok(m.registerRollup(BigInteger.valueOf(NS_KEPT), owner.getAddress(), BigInteger.valueOf(1_000),
                    KEPT_SEQ.toHex(), owner.getAddress())).getBlockNumber().longValueExact();
            for (int i = 0; i < CONFIRMATIONS; i++) n.l1.mine();
            Await.until("every follower past the confirmed registration", 30_000, () -> n.followedByAll() >= keptAt,
                    () -> "followed by all: " + n.followedByAll());
            Await.until("a decided header naming an L1 block at or past the registration", 30_000,
                    () -> latestL1Head(n.network.nodes().get(0)) >= keptAt,
                    () -> "latest l1Head " + latestL1Head(n.network.nodes().get(0)));

            long latestBefore = n.l1.blockNumber();
            String snapshot = n.l1.snapshot();
            long revertedAt = ok(m.registerRollup(BigInteger.valueOf(NS_REVERTED), owner.getAddress(), BigInteger.valueOf(1_000),
                    REVERTED_SEQ.toHex(), owner.getAddress())).getBlockNumber().longValueExact();
            assertEquals(latestBefore + 1, revertedAt);
            long heightBefore = n.network.height();
            Await.until("the nodes to keep deciding while the registration is unconfirmed", 30_000,
                    () -> n.network.height() >= heightBefore + 5, () -> "height " + n.network.height());
            assertTrue(n.followedByAll() <= revertedAt - CONFIRMATIONS, "a block 0 deep is never read: " + n.followedByAll());

            n.l1.revert(snapshot);
            assertEquals(latestBefore, n.l1.blockNumber());
            for (int i = 0; i < 4; i++) n.l1.mine();
            long replaced = revertedAt + 1;
            Await.until("every follower past the replaced blocks", 30_000, () -> n.followedByAll() >= replaced,
                    () -> "followed by all: " + n.followedByAll());
            long heightAfter = n.network.height();
            Await.until("decided headers naming the replacement blocks on every node", 30_000,
                    () -> n.network.nodes().stream().allMatch(node -> latestL1Head(node) >= replaced) && n.network.height() > heightAfter,
                    () -> "latest l1Heads " + n.network.nodes().stream().map(L1ReorgNetworkTest::latestL1Head).toList());

            // Every node's view at its followed block: the confirmed rollup, not the reverted one.
            for (NodeMarket market : n.markets) {
                long at = market.follower().followedBlock();
                Set<Long> windows = market.follower().snapshot().windows().keySet();
                assertFalse(windows.isEmpty());
                for (long w : windows) {
                    var known = assertInstanceOf(MarketAnswer.Known.class, market.state().windowAt(w, at));
                    assertFalse(known.market().defaultSequencers().containsKey(NS_REVERTED), "window " + w + " at " + at);
                }
                var nowKnown = assertInstanceOf(MarketAnswer.Known.class,
                        market.state().windowAt(windows.stream().max(Long::compare).orElseThrow(), at));
                assertEquals(KEPT_SEQ, nowKnown.market().defaultSequencers().get(NS_KEPT));
            }

            // Decided headers are the same on every node, their l1Head never goes back, and the marketplace state
            // each names is read identically by every node (and never holds the reverted rollup).
            CortadoNode first = n.network.nodes().get(0);
            long tip = n.network.nodes().stream().mapToLong(CortadoNode::height).min().orElseThrow();
            long lastL1Head = 0;
            Set<Long> heads = new HashSet<>();
            for (var d : first.store().decidedRange(1, (int) tip)) {
                BlockHeader h = BlockHeader.decode(d.header());
                for (CortadoNode other : n.network.nodes()) {
                    var mine = other.store().decided(d.height()).orElseThrow();
                    assertTrue(Arrays.equals(d.header(), mine.header()), "header " + d.height() + " differs between nodes");
                }
                assertTrue(h.l1Head() >= lastL1Head, "l1Head went back at height " + d.height());
                lastL1Head = h.l1Head();
                if (h.l1Head() > 0 && heads.add(h.l1Head())) {
                    long w = n.markets.getFirst().state().windowAtTime(h.timestampMs() / 1000);
                    List<MarketAnswer> answers = n.markets.stream().map(mk -> mk.state().windowAt(w, h.l1Head())).toList();
                    for (MarketAnswer a : answers) {
                        assertEquals(answers.getFirst(), a, "window " + w + " at L1 block " + h.l1Head());
                        if (a instanceof MarketAnswer.Known k) {
                            assertFalse(k.market().defaultSequencers().containsKey(NS_REVERTED));
                        }
                    }
                }
            }
            assertTrue(heads.stream().anyMatch(b -> b >= replaced), "headers named the replacement blocks: " + heads);
            assertTrue(heads.stream().anyMatch(b -> b >= keptAt && b < revertedAt), "and blocks from before the reorg: " + heads);
        }
    }

    /** The l1Head of the node's latest decided block, -1 before its first decision. */
    private static long latestL1Head(CortadoNode node) {
        var last = node.store().decidedRange(Math.max(1, node.store().latestHeight()), 1);
        return last.isEmpty() ? -1 : BlockHeader.decode(last.getFirst().header()).l1Head();
    }
}
