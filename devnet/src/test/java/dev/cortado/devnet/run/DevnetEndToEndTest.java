package dev.cortado.devnet.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.cli.CortadoCli;
import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.devnet.l1.L1Kind;
import dev.cortado.devnet.testing.Await;
import dev.cortado.devnet.testing.Processes;
import dev.cortado.lightclient.LightClientVerifier;
import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.RollupClient;
import dev.cortado.lightclient.VerifiedTransaction;
import dev.cortado.lightclient.VerifiedTransactions;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.epoch.EpochHistory;
import dev.cortado.settlement.batch.BatchReader;
import dev.cortado.settlement.batch.InboxL1;
import dev.cortado.settlement.lightclient.LightClientReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.Transaction;
import picocli.CommandLine;

/**
 * The whole product on one machine: L1 with the contracts, validators registered with proofs of
 * possession, a broker and four nodes deciding demo rollup traffic, a light-client certificate from
 * the running network accepted by LightClient.sol, and a rollup that proves its namespace against it.
 * Then batches on L1 from both posters: the network's blob batches and the first demo rollup's own calldata
 * batches in its own inbox, each demo namespace rebuilt from L1 alone (library and CLI) equal to what was proven.
 * The network runs epochs: the joiner registers, signs, a genesis validator exits, and LightClient.sol follows.
 */
class DevnetEndToEndTest {
    /** About 3 s at the devnet's decide rate, so the join and the exit take a few epochs, not a minute. */
    private static final long EPOCH_BLOCKS = 30;

    @Test
    void finalityReachesL1AndARollupProvesItsNamespace(@TempDir Path out) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DevnetConfig config = new DevnetConfig(L1Kind.ANVIL, 1, out, 4, 3, 0xC0A7AD0L, 30, 2_000L, EPOCH_BLOCKS);
        List<ProcessHandle> children;
        try (Devnet devnet = Devnet.start(config, StoryConfig.off().withStakeMoves(true, true),
                new PrintStream(console, true, StandardCharsets.UTF_8))) {
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

            // A rollup that trusts only the genesis stake table (and each handover from it) proves its namespace
            // against the certified root.
            RollupClient rollup = new RollupClient(
                    devnet.network().apiUrls().stream().map(NodeFollower::new).toList(),
                    LightClientVerifier.followingEpochs(config.hotShotChainId(), new EpochHistory(config.schedule().orElseThrow(),
                            config.hotShotChainId(), devnet.validators().table(), 16)), 64);
            Map<Long, List<VerifiedTransaction>> proven = new TreeMap<>();
            for (long ns : DemoTraffic.NAMESPACES) proven.put(ns, proven(rollup, NamespaceId.of(ns), certified));
            assertTrue(rollup.rejectedAnswers().isEmpty(), "honest nodes' answers all verify: " + rollup.rejectedAnswers());
            // Early, while the nodes still serve every epoch since genesis (they keep the newest 16 tables).
            StakeMovesCheck.assertJoinAndExit(devnet);

            // Both batch posters carry the certified heights to L1: the network's (every namespace, cheapest:
            // blobs on Anvil) and the first demo rollup's own (its namespace, calldata, its own inbox).
            long through = certified;
            Await.until("batches of both posters on L1 through height " + through, 90_000,
                    () -> devnet.postBatches() >= through && devnet.rollupBatchesThrough() >= through,
                    () -> "network posted through " + devnet.postBatches() + ", rollup through " + devnet.rollupBatchesThrough());
            String rpc = devnet.l1().rpcUrl();
            String lightClient = devnet.deployment().lightClient().address();
            String networkInbox = devnet.deployment().batchInbox().address();
            String rollupInbox = devnet.rollupInbox().address();
            assertEquals(Devnet.OWN_POSTER_NAMESPACE, DemoTraffic.NAMESPACES.getFirst());
            assertEquals(rollupInbox, Deployment.read(devnet.deploymentFile()).rollupInbox(Devnet.OWN_POSTER_NAMESPACE)
                    .orElseThrow().inbox().address(), "the rollup's inbox is in deployment.json");

            // What carried each batch, as L1 holds the transactions (not as the posters logged them).
            var web3j = devnet.l1().web3j();
            String calldataSelector = InboxL1.calldataBatchCall(0, 0, 0, new byte[0]).substring(0, 10);
            List<InboxL1.PostedBatch> networkBatches = postedBatches(rpc, networkInbox);
            List<InboxL1.PostedBatch> rollupBatches = postedBatches(rpc, rollupInbox);
            assertFalse(rollupBatches.isEmpty(), "the rollup's own poster posted");
            for (InboxL1.PostedBatch b : rollupBatches) {
                Transaction tx = web3j.ethGetTransactionByHash(b.txHash()).send().getTransaction().orElseThrow();
                assertEquals("0x2", tx.getType(), "rollup batch " + b.batchIndex() + " is an EIP-1559 transaction");
                assertEquals(rollupInbox.toLowerCase(Locale.ROOT), tx.getTo().toLowerCase(Locale.ROOT));
                assertTrue(tx.getInput().startsWith(calldataSelector), "a postCalldataBatch call: " + tx.getInput().substring(0, 10));
                assertTrue(tx.getBlobVersionedHashes() == null || tx.getBlobVersionedHashes().isEmpty());
                assertEquals(0, b.blobCount());
            }
            long blobBatches = 0;
            for (InboxL1.PostedBatch b : networkBatches) {
                Transaction tx = web3j.ethGetTransactionByHash(b.txHash()).send().getTransaction().orElseThrow();
                assertEquals(networkInbox.toLowerCase(Locale.ROOT), tx.getTo().toLowerCase(Locale.ROOT));
                if ("0x3".equals(tx.getType())) {
                    assertFalse(tx.getBlobVersionedHashes().isEmpty(), "a blob transaction carries blobs");
                    assertEquals(tx.getBlobVersionedHashes().size(), b.blobCount());
                    blobBatches++;
                }
            }
            assertTrue(blobBatches >= 1, "at least one network batch went as a blob transaction: " + networkBatches);

            // From L1 alone, each demo namespace rebuilds exactly what the rollup client proved against the nodes:
            // all three from the network's inbox (blobs, fetched and checked against their versioned hashes), and
            // the first one again from its own inbox (calldata).
            try (BatchReader network = new BatchReader(rpc, networkInbox, lightClient, 4);
                    BatchReader own = new BatchReader(rpc, rollupInbox, lightClient, 4)) {
                for (var e : proven.entrySet()) assertRebuilt(e.getValue(), network.rebuild(e.getKey(), 1, certified), certified);
                assertRebuilt(proven.get(Devnet.OWN_POSTER_NAMESPACE), own.rebuild(Devnet.OWN_POSTER_NAMESPACE, 1, certified),
                        certified);
            }

            // And through the CLI, as the rollup would run it against its own inbox.
            StringWriter text = new StringWriter();
            CommandLine cli = CortadoCli.newCommandLine();
            cli.setOut(new PrintWriter(text, true));
            cli.setErr(new PrintWriter(text, true));
            int code = cli.execute("batches", "--rpc", rpc, "--inbox", rollupInbox, "--light-client", lightClient,
                    "--namespace", Long.toString(Devnet.OWN_POSTER_NAMESPACE), "--from", "1", "--to", Long.toString(certified));
            assertEquals(0, code, text.toString());
            List<String> lines = text.toString().lines().toList();
            List<VerifiedTransaction> own = proven.get(Devnet.OWN_POSTER_NAMESPACE);
            assertEquals(own.size() + 1, lines.size(), text.toString());
            for (int i = 0; i < own.size(); i++) {
                assertEquals(own.get(i).height() + " " + own.get(i).index() + " 0x"
                        + HexFormat.of().formatHex(own.get(i).transaction().payload()), lines.get(i));
            }
            assertEquals("verified: namespace " + Devnet.OWN_POSTER_NAMESPACE + ", heights 1.." + certified + ", " + own.size()
                    + " transactions from " + rollupBatches.stream().filter(b -> b.firstHeight() <= certified).count()
                    + " batches", lines.getLast());
            // Every node follows the marketplace from deployment.json, at the confirmation depth.
            assertEquals(config.nodes() + 1, devnet.markets().size(), "the genesis validators and the joiner");
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

    /** The namespace's transactions at heights 1..certified as the rollup client proves them against the nodes. */
    private static List<VerifiedTransaction> proven(RollupClient rollup, NamespaceId namespace, long certified) {
        List<VerifiedTransaction> txs = new ArrayList<>();
        long from = 1; // height 0 is the genesis block, which carries no transactions
        while (from <= certified) {
            VerifiedTransactions batch = rollup.verifiedTransactions(namespace, from);
            txs.addAll(batch.transactions());
            if (batch.toHeight() < from) break;
            from = batch.toHeight() + 1;
        }
        txs.removeIf(t -> t.height() > certified);
        assertFalse(txs.isEmpty(), "demo rollup " + namespace.value() + "'s transactions are proven up to height " + certified);
        for (VerifiedTransaction tx : txs) {
            assertEquals(namespace, tx.transaction().namespace());
            String text = new String(tx.transaction().payload(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("demo rollup " + namespace.value() + " transfer #"), text);
        }
        return txs;
    }

    private static void assertRebuilt(List<VerifiedTransaction> proven, BatchReader.History history, long certified) {
        assertEquals(certified, history.toHeight());
        assertEquals(proven.size(), history.transactions().size(), "one L1 transaction per proven one, namespace "
                + history.namespace());
        for (int i = 0; i < proven.size(); i++) {
            BatchReader.Tx read = history.transactions().get(i);
            assertEquals(proven.get(i).height(), read.height(), "namespace " + history.namespace() + " transaction " + i);
            assertEquals(proven.get(i).index(), read.index(), "namespace " + history.namespace() + " transaction " + i);
            assertArrayEquals(proven.get(i).transaction().payload(), read.payload(),
                    "namespace " + history.namespace() + " transaction " + i);
        }
    }

    private static List<InboxL1.PostedBatch> postedBatches(String rpc, String inbox) {
        try (InboxL1 l1 = new InboxL1(rpc, inbox, 4)) {
            return l1.postedBatches(0);
        }
    }
}
