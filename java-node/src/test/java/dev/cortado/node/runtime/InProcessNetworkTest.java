package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.CertifiedState;
import dev.cortado.lightclient.LightClientVerifier;
import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.api.EpochAnswer;
import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.LightClientAnswer;
import dev.cortado.node.testing.TestKeys;
import dev.cortado.protocol.stake.StakeEntry;
import dev.cortado.protocol.stake.StakeTable;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.lightclient.api.TransactionAnswer;
import dev.cortado.node.storage.DecidedBlock;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.node.testing.Await;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** Four nodes and a broker in one JVM, on real sockets, deciding transactions submitted over HTTP. */
class InProcessNetworkTest {
    @TempDir Path dir;
    private final NodeHttp http = new NodeHttp();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void fourNodesDecideTransactionsFromThreeNamespacesExactlyOnce() throws Exception {
        try (LocalCluster c = new LocalCluster(4, dir, true)) {
            c.startAll();
            List<String> hashes = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                long ns = 10 + i % 3;
                hashes.add(http.submit(c.nodes[i % 4], ns, ("tx-" + i).getBytes()));
            }
            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + " decided every tx", Duration.ofSeconds(60),
                        () -> hashes.stream().allMatch(h -> n.store().txLocation(HexFormat.of().parseHex(h.substring(2))).isPresent()));
            }
            // Exactly once: count every transaction in node 0's decided chain.
            CortadoNode n0 = c.nodes[0];
            Map<String, Integer> seen = new HashMap<>();
            long height = n0.store().latestHeight();
            for (DecidedBlock b : n0.store().decidedRange(1, (int) height)) {
                BlockAnswer block = json.readValue(http.get(n0, "/v0/block/" + b.height()), BlockAnswer.class);
                BlockHeader header = block.header().toHeader();
                assertEquals(block.commitment(), header.commitment(LocalCluster.CHAIN_ID).toHex());
                for (long ns = 10; ns <= 12; ns++) {
                    NamespaceAnswer answer = json.readValue(http.get(n0, "/v0/block/" + b.height() + "/namespace/" + ns),
                            NamespaceAnswer.class);
                    // The light client's own check: the transactions are exactly the namespace's under payloadRoot.
                    for (Transaction tx : answer.toProof().verify(header)) {
                        seen.merge(ns + ":" + HexFormat.of().formatHex(tx.payload()), 1, Integer::sum);
                    }
                }
            }
            assertEquals(60, seen.size(), seen::toString);
            assertTrue(seen.values().stream().allMatch(v -> v == 1), seen::toString);
            long namespaces = seen.keySet().stream().map(k -> k.split(":")[0]).distinct().count();
            assertEquals(3, namespaces);
            // Same chain everywhere, and every node persisted a voted view.
            long common = java.util.Arrays.stream(c.nodes).mapToLong(n -> n.store().latestHeight()).min().orElseThrow();
            for (CortadoNode n : c.nodes) {
                for (long h = 1; h <= common; h++) {
                    assertArrayEquals(n0.store().decided(h).orElseThrow().commitment(), n.store().decided(h).orElseThrow().commitment());
                }
                assertTrue(n.store().readSafety().orElseThrow().highestVotedView() > 0);
            }
            assertTrue(c.broker.relayedCount() > 0, "traffic went through the broker");
            // Fault 12: every node, the leaders included, answers each hash with that very transaction.
            for (CortadoNode n : c.nodes) {
                for (int i = 0; i < hashes.size(); i++) {
                    TransactionAnswer answer = json.readValue(http.get(n, "/v0/tx/" + hashes.get(i)), TransactionAnswer.class);
                    BlockAnswer in = json.readValue(http.get(n, "/v0/block/" + answer.height()), BlockAnswer.class);
                    assertArrayEquals(("tx-" + i).getBytes(), answer.toProof().verify(in.header().toHeader()).payload(),
                            "node " + n.index() + " answered " + hashes.get(i) + " with another transaction");
                }
            }
            // A transaction by hash, with a proof the light client verifies against the header.
            TransactionAnswer tx = json.readValue(http.get(n0, "/v0/tx/" + hashes.get(7)), TransactionAnswer.class);
            BlockAnswer at = json.readValue(http.get(n0, "/v0/block/" + tx.height()), BlockAnswer.class);
            assertArrayEquals("tx-7".getBytes(), tx.toProof().verify(at.header().toHeader()).payload());
            // The light client follows: a certified state, then a block proven against it.
            List<StakeEntry> entries = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                entries.add(new StakeEntry(TestKeys.keyPair(i).publicKey(), 1, true));
            }
            LightClientVerifier verifier = new LightClientVerifier(LocalCluster.CHAIN_ID, StakeTable.of(entries));
            Await.until("a light-client certificate covers the tx", Duration.ofSeconds(30), () -> {
                try {
                    return json.readValue(http.get(n0, "/v0/light-client/latest"), LightClientAnswer.class).state().height() >= tx.height();
                } catch (Exception e) {
                    return false;
                }
            });
            CertifiedState certified = verifier.verifyLightClient(json.readValue(http.get(n0, "/v0/light-client/latest"),
                    LightClientAnswer.class));
            BlockAnswer proven = json.readValue(http.get(n0, "/v0/block/" + tx.height() + "?certifiedHeight="
                    + certified.state().height().value()), BlockAnswer.class);
            BlockHeader verified = verifier.verifyBlock(certified, proven, tx.height());
            assertArrayEquals("tx-7".getBytes(), verifier.verifyTransaction(verified, tx).payload());
            // Issue 14: a network without epochs serves its one table as epoch 0, the whole chain, and no other.
            EpochAnswer epoch0 = new NodeFollower(URI.create("http://127.0.0.1:" + n0.apiAddress().getPort())).epoch(0);
            assertEquals(Long.MAX_VALUE, epoch0.lastHeight());
            assertEquals(verifier.stakeTable().commitment(), epoch0.toTable().commitment());
            assertNull(epoch0.handover());

            // Issue 9: the header tree is on disk, so a restarted node serves the same proofs, byte for byte, and its
            // frontier (restored, not replayed) gives the roots the others accept: it goes on deciding.
            String blockPath = "/v0/block/" + tx.height() + "?certifiedHeight=" + certified.state().height().value();
            String lcPath = "/v0/light-client/" + certified.state().height().value();
            String blockBefore = http.get(n0, blockPath);
            String lcBefore = http.get(n0, lcPath);
            c.stop(0);
            CortadoNode again = c.start(0);
            assertEquals(blockBefore, http.get(again, blockPath));
            assertEquals(lcBefore, http.get(again, lcPath));
            String late = http.submit(again, 10, "after-restart".getBytes());
            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + " decided the tx sent after the restart", Duration.ofSeconds(60),
                        () -> n.store().txLocation(HexFormat.of().parseHex(late.substring(2))).isPresent());
            }
        }
    }
}
