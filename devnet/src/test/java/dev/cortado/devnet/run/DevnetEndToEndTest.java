package dev.cortado.devnet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.l1.L1Kind;
import dev.cortado.devnet.testing.Await;
import dev.cortado.devnet.testing.Processes;
import dev.cortado.lightclient.LightClientVerifier;
import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.RollupClient;
import dev.cortado.lightclient.VerifiedTransaction;
import dev.cortado.lightclient.VerifiedTransactions;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.settlement.lightclient.LightClientReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product on one machine: L1 with the contracts, validators registered with proofs of
 * possession, a broker and four nodes deciding demo rollup traffic, a light-client certificate from
 * the running network accepted by LightClient.sol, and a rollup that proves its namespace against it.
 */
class DevnetEndToEndTest {

    @Test
    void finalityReachesL1AndARollupProvesItsNamespace(@TempDir Path out) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DevnetConfig config = new DevnetConfig(L1Kind.ANVIL, 1, out, 4, 3, 0xC0A7AD0L, 30);
        List<ProcessHandle> children;
        try (Devnet devnet = Devnet.start(config, new PrintStream(console, true, StandardCharsets.UTF_8))) {
            children = ProcessHandle.current().descendants().toList();
            assertTrue(Files.isRegularFile(devnet.deploymentFile()), "deployment.json written");
            String summary = console.toString(StandardCharsets.UTF_8);
            assertTrue(summary.contains("LightClient     0x"), summary);

            Await.until("demo transactions to be decided", 90_000,
                    () -> devnet.network().height() >= 5 && devnet.traffic().accepted() >= 30,
                    () -> "height " + devnet.network().height() + ", accepted " + devnet.traffic().accepted()
                            + ", last refusal " + devnet.traffic().lastRefusal());
            Await.until("a light-client certificate on L1", 90_000, () -> devnet.postLightClient() >= 5,
                    () -> "posted height " + devnet.postLightClient());

            LightClientReader reader = devnet.poster().reader();
            long certified = reader.finalizedState().height();
            var lookup = reader.getHotShotCommitment(certified);
            assertInstanceOf(LightClientReader.CommitmentLookup.Covered.class, lookup, lookup.toString());

            // A rollup that trusts only the stake table proves its namespace against the certified root.
            RollupClient rollup = new RollupClient(
                    devnet.network().apiUrls().stream().map(NodeFollower::new).toList(),
                    new LightClientVerifier(config.hotShotChainId(), devnet.validators().table()), 64);
            NamespaceId namespace = NamespaceId.of(DemoTraffic.NAMESPACES.getFirst());
            List<VerifiedTransaction> txs = new ArrayList<>();
            long from = 1; // height 0 is the genesis block, which carries no transactions
            while (from <= certified) {
                VerifiedTransactions batch = rollup.verifiedTransactions(namespace, from);
                txs.addAll(batch.transactions());
                if (batch.toHeight() < from) break;
                from = batch.toHeight() + 1;
            }
            assertFalse(txs.isEmpty(), "the demo rollup's transactions are proven up to height " + certified);
            for (VerifiedTransaction tx : txs) {
                assertEquals(namespace, tx.transaction().namespace());
                String text = new String(tx.transaction().payload(), StandardCharsets.UTF_8);
                assertTrue(text.startsWith("demo rollup " + DemoTraffic.NAMESPACES.getFirst() + " transfer #"), text);
            }
            assertTrue(rollup.rejectedAnswers().isEmpty(), "honest nodes' answers all verify: " + rollup.rejectedAnswers());

            // The batch poster carries the certified heights to BatchInbox; the reader rebuilds the
            // namespace from L1 alone and it equals what the rollup proved against the nodes.
            long through = certified;
            Await.until("batches on L1 through height " + through, 90_000, () -> devnet.postBatches() >= through,
                    () -> "posted through " + devnet.postBatches());
            try (var reader2 = new dev.cortado.settlement.batch.BatchReader(devnet.l1().rpcUrl(),
                    devnet.deployment().batchInbox().address(), devnet.deployment().lightClient().address(), 4)) {
                var history = reader2.rebuild(namespace.value(), 1, certified);
                assertEquals(certified, history.toHeight());
                List<VerifiedTransaction> upTo = txs.stream().filter(t -> t.height() <= certified).toList();
                assertEquals(upTo.size(), history.transactions().size(), "one L1 transaction per proven one");
                for (int i = 0; i < upTo.size(); i++) {
                    assertEquals(upTo.get(i).height(), history.transactions().get(i).height());
                    assertTrue(java.util.Arrays.equals(upTo.get(i).transaction().payload(),
                            history.transactions().get(i).payload()), "transaction " + i);
                }
            }
            // Every node follows the marketplace from deployment.json, at the confirmation depth.
            assertEquals(config.nodes(), devnet.markets().size());
            Await.until("every node's L1 follower to read the deployment", 30_000,
                    () -> devnet.markets().stream().allMatch(m -> m.state().followedBlock() >= devnet.deployment().marketplace()
                            .deploymentBlock()), () -> devnet.markets().stream().map(m -> m.state().followedBlock()).toList().toString());
            // Headers name the L1 block the leader read the marketplace at (issue 11), once the followers have read it.
            var node0 = devnet.network().nodes().get(0);
            java.util.function.LongSupplier latestL1Head = () -> dev.cortado.protocol.block.BlockHeader.decode(
                    node0.store().decidedRange(node0.store().latestHeight(), 1).getFirst().header()).l1Head();
            Await.until("a decided header naming an L1 block at or past the deployment", 30_000,
                    () -> latestL1Head.getAsLong() > 0
                            && latestL1Head.getAsLong() >= devnet.deployment().marketplace().deploymentBlock(),
                    () -> "latest decided l1Head " + latestL1Head.getAsLong());
        }
        Processes.awaitDead(children);
    }
}
