package dev.cortado.node.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.node.l1.MarketAdmission;
import dev.cortado.node.market.BundlePool;
import dev.cortado.node.testing.Await;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.Bundle;
import dev.cortado.protocol.market.BundleCodec;
import dev.cortado.protocol.market.BundleRecord;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.market.SignedBundle;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.SlotClock;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bundles on real sockets (issue 11): four nodes on 127.0.0.1, each enforcing the same marketplace (rollups 10 and
 * 11 sold to one winner, both defaulting to one default sequencer) with a 1 s slot clock and a silence of
 * {@value #SILENCE_SLOTS} slots. A stranger's loose transaction and bundle are refused with reasons at every node;
 * the winner's two-rollup bundle, given to node 0 only, reaches every node's pool by gossip and is decided whole in
 * one block, read back over {@code GET /v0/bundle/{id}} with one verifying proof per rollup. The winner then goes
 * quiet (its sequencer is gone); the default sequencer's bundle, waiting in every pool since before the window
 * began, is decided only in a block at least {@value #SILENCE_SLOTS} slots after the winner's last one. In the next
 * window the winner holds its rollups again from the start. A node restarted from its RocksDB still answers the
 * bundles and keeps deciding.
 */
class BundleNetworkTest {
    private static final long NS_A = 10;
    private static final long NS_B = 11;
    private static final long L1_BLOCK = 5;
    private static final long SILENCE_SLOTS = 4;
    /** 1 s slots: window 1 leaves room for the silence and the default's turn, and window 2 follows soon. */
    private static final long SLOTS_PER_WINDOW = 14;
    /** Time for four nodes to start, follow and gossip before window 1 opens; nothing waits for it to pass. */
    private static final long LEAD_SEC = 4;
    private static final Secp256k1.KeyPair WINNER = Secp256k1.keyPair(BigInteger.valueOf(101));
    private static final Secp256k1.KeyPair DEFAULT = Secp256k1.keyPair(BigInteger.valueOf(201));
    private static final Secp256k1.KeyPair STRANGER = Secp256k1.keyPair(BigInteger.valueOf(999));
    @TempDir Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void winnersTwoRollupBundleIsDecidedInOneBlockAndTheDefaultTakesOverOnlyAfterTheSilence() throws Exception {
        try (LocalCluster c = new LocalCluster(4, dir, false)) {
            c.startAll();
            // Window 1 opens LEAD_SEC from now, so the winner's first bundle can wait in the pools for its first block.
            long windowStartSec = System.currentTimeMillis() / 1000 + LEAD_SEC;
            FixedMarketState market = new FixedMarketState(L1_BLOCK, new MarketClock(new SlotClock(
                    windowStartSec - SLOTS_PER_WINDOW, 1), SLOTS_PER_WINDOW, 3, 10),
                    Map.of(NS_A, DEFAULT.address(), NS_B, DEFAULT.address()), Map.of(NS_A, WINNER.address(), NS_B, WINNER.address()));
            BundlePool[] pools = new BundlePool[4];
            for (int i = 0; i < 4; i++) {
                pools[i] = attach(c.nodes[i], market);
            }

            for (CortadoNode n : c.nodes) {
                JsonNode loose = refused(post(n, "/v0/submit", "application/json",
                        ("{\"namespace\": " + NS_A + ", \"payload\": \"0x6c6f6f7365\"}").getBytes()), 403, "namespace_restricted");
                assertTrue(loose.get("detail").asString().contains("is sold in window 0: only bundles signed by "
                        + WINNER.address().toHex()), loose.toString());
                JsonNode stranger = refused(post(n, "/v0/submit/bundle", "application/octet-stream",
                        BundleCodec.encode(bundle(STRANGER, 1, 0, tx(NS_A, "stranger")))), 403, "not_right_holder");
                assertTrue(stranger.get("detail").asString().contains(STRANGER.address().toHex()), stranger.toString());
            }

            Transaction a = tx(NS_A, "swap-leg-a");
            Transaction b = tx(NS_B, "swap-leg-b");
            SignedBundle winners = bundle(WINNER, 1, 0, a, b);
            SignedBundle defaults = bundle(DEFAULT, 1, 0, tx(NS_A, "default-a"), tx(NS_B, "default-b"));
            admit(c.nodes[0], winners);
            admit(c.nodes[1], defaults);
            for (int i = 0; i < 4; i++) {
                BundlePool pool = pools[i];
                Await.until("node " + i + " pooled both bundles by gossip", Duration.ofSeconds(30),
                        () -> pooled(pool, winners) && pooled(pool, defaults));
            }

            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + " decided the winner's bundle", Duration.ofSeconds(60), () -> decided(n, winners));
            }
            JsonNode w = bundleAnswer(c.nodes[2], winners);
            long winnerHeight = w.get("height").asLong();
            BlockHeader winnerBlock = verifyBundleAnswer(w, winners, WINNER);
            assertEquals(winnerHeight, txHeight(c.nodes[3], a), "leg A is in the bundle's block");
            assertEquals(winnerHeight, txHeight(c.nodes[3], b), "leg B is in the same block");
            long winnerSlot = market.clock().slots().slotAt(winnerBlock.timestampMs() / 1000);
            assertEquals(1, market.clock().windowAt(winnerBlock.timestampMs() / 1000));

            // The winner sends nothing more. Its rollups pass to the default sequencer once the silence has passed.
            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + " decided the default sequencer's bundle", Duration.ofSeconds(60),
                        () -> decided(n, defaults));
            }
            JsonNode d = bundleAnswer(c.nodes[0], defaults);
            long defaultHeight = d.get("height").asLong();
            BlockHeader defaultBlock = verifyBundleAnswer(d, defaults, DEFAULT);
            long defaultSlot = market.clock().slots().slotAt(defaultBlock.timestampMs() / 1000);
            assertTrue(defaultSlot - winnerSlot >= SILENCE_SLOTS, "the default's bundle was decided at slot " + defaultSlot
                    + ", only " + (defaultSlot - winnerSlot) + " slots after the winner's last at slot " + winnerSlot);
            // Not before: it waited in every pool from before the window, through the blocks decided in the silence.
            assertTrue(defaultHeight > winnerHeight + 1, "blocks " + winnerHeight + ".." + defaultHeight
                    + " leave no block inside the silence that could have taken it early");
            assertEquals(1, market.clock().windowAt(defaultBlock.timestampMs() / 1000), "the fallback held inside window 1");
            // What a default sequencer reads to take over: the chain fold's state, the same on every node.
            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + "'s status names the fallen winner", Duration.ofSeconds(10), () -> {
                    JsonNode m = status(n).get("market");
                    return m.get("height").asLong() >= defaultHeight && m.get("window").asLong() == 1
                            && m.get("fallenSilent").toString().contains(WINNER.address().toHex());
                });
                JsonNode m = status(n).get("market");
                assertEquals(SILENCE_SLOTS, m.get("silenceSlots").asLong());
                assertEquals(0, m.get("lastSequence").get(DEFAULT.address().toHex()).asLong(), m.toString());
            }

            // Window 2 starts afresh: the winner, silent through the rest of window 1, holds its rollups again at once.
            SignedBundle next = bundle(WINNER, 2, 0, tx(NS_A, "next-window-a"), tx(NS_B, "next-window-b"));
            admit(c.nodes[2], next);
            for (CortadoNode n : c.nodes) {
                Await.until("node " + n.index() + " decided the winner's window-2 bundle", Duration.ofSeconds(60),
                        () -> decided(n, next));
            }
            BlockHeader nextBlock = verifyBundleAnswer(bundleAnswer(c.nodes[1], next), next, WINNER);
            long nextSlot = market.clock().slots().slotAt(nextBlock.timestampMs() / 1000);
            assertEquals(2, market.clock().windowAt(nextBlock.timestampMs() / 1000));
            assertTrue(nextSlot < 2 * SLOTS_PER_WINDOW + SILENCE_SLOTS, "the winner's window-2 bundle waited until slot "
                    + nextSlot + ", as if it had to wait out a silence");

            // The bundles column family survives a restart; the restarted node rebuilds its fold and keeps deciding.
            byte[] before = json.writeValueAsBytes(decidedPart(bundleAnswer(c.nodes[3], defaults)));
            c.stop(3);
            CortadoNode again = c.start(3);
            attach(again, market);
            assertArrayEquals(before, json.writeValueAsBytes(decidedPart(bundleAnswer(again, defaults))),
                    "same answer after the restart");
            assertEquals(winnerHeight, bundleAnswer(again, winners).get("height").asLong());
            long target = c.nodes[0].height() + 3;
            Await.until("the restarted node decides new blocks", Duration.ofSeconds(60), () -> again.height() >= target);
        }
    }

    /** Makes {@code n} enforce {@code market} in blocks and at its API, gossip and build from a fresh pool. */
    private static BundlePool attach(CortadoNode n, FixedMarketState market) {
        BundlePool pool = new BundlePool(64, 256, 1 << 20);
        n.followL1(market, 16, FixedMarketState.CHAIN_ID, FixedMarketState.MARKETPLACE, SILENCE_SLOTS);
        n.takeBundles(new MarketAdmission(market, FixedMarketState.CHAIN_ID, FixedMarketState.MARKETPLACE,
                System::currentTimeMillis, pool), pool);
        return pool;
    }

    /** A bundle for {@code window}, valid to its end. */
    private static SignedBundle bundle(Secp256k1.KeyPair key, long window, long sequence, Transaction... txs) {
        return new Bundle(FixedMarketState.CHAIN_ID, FixedMarketState.MARKETPLACE, window, sequence,
                (window + 1) * SLOTS_PER_WINDOW - 1, List.of(txs)).sign(key);
    }

    private static Transaction tx(long ns, String tag) {
        return new Transaction(NamespaceId.of(ns), tag.getBytes());
    }

    private static boolean pooled(BundlePool pool, SignedBundle sb) {
        Transaction first = sb.bundle().transactions().getFirst();
        return pool.holding(first.hash()).map(p -> p.bundle().id().equals(sb.id())).orElse(false);
    }

    private static boolean decided(CortadoNode n, SignedBundle sb) {
        return n.store().bundleLocation(sb.id().bytes()).isPresent();
    }

    /**
     * Checks a {@code /v0/bundle} answer as a rollup would: the block's header hashes to its commitment, the
     * reserved namespace's proof holds exactly this bundle's record, and each rollup's proof verifies against the
     * header and holds the bundle's transactions of that rollup, in bundle order. Returns the verified header.
     */
    private BlockHeader verifyBundleAnswer(JsonNode answer, SignedBundle sb, Secp256k1.KeyPair signer) {
        assertEquals(sb.id().toHex(), answer.get("id").asString());
        assertEquals(signer.address().toHex(), answer.get("signer").asString());
        BlockAnswer block = json.treeToValue(answer.get("block"), BlockAnswer.class);
        BlockHeader header = block.header().toHeader();
        assertEquals(block.commitment(), header.commitment(LocalCluster.CHAIN_ID).toHex());
        List<Transaction> records = json.treeToValue(answer.get("record"), NamespaceAnswer.class).toProof().verify(header);
        byte[] record = BundleRecord.of(sb).encode();
        assertEquals(1, records.stream().filter(t -> java.util.Arrays.equals(t.payload(), record)).count(),
                "the block's reserved namespace holds the bundle's record once");
        assertEquals(sb.bundle().namespaces().size(), answer.get("namespaces").size(), "one proof per rollup");
        for (JsonNode p : answer.get("namespaces")) {
            NamespaceAnswer proof = json.treeToValue(p, NamespaceAnswer.class);
            List<Transaction> inBlock = proof.toProof().verify(header);
            List<Transaction> ours = sb.bundle().transactions().stream()
                    .filter(t -> t.namespace().value() == proof.namespace()).toList();
            assertEquals(ours, inBlock, "namespace " + proof.namespace() + " holds exactly the bundle's transactions");
        }
        return header;
    }

    private JsonNode bundleAnswer(CortadoNode n, SignedBundle sb) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(n, "/v0/bundle/" + sb.id().toHex())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    /**
     * The part of a bundle answer fixed once the bundle is decided. The block's header proof is against the newest
     * light-client state the node holds, and its confirmation against L1, so both move on while the network runs.
     */
    private static JsonNode decidedPart(JsonNode answer) {
        ObjectNode copy = (ObjectNode) answer.deepCopy();
        ObjectNode block = (ObjectNode) copy.get("block");
        block.remove(List.of("certifiedHeight", "headerProof", "confirmation"));
        return copy;
    }

    private JsonNode status(CortadoNode n) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(n, "/v0/status")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return json.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long txHeight(CortadoNode n, Transaction tx) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(n, "/v0/tx/" + tx.hash().toHex())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body()).get("height").asLong();
    }

    private void admit(CortadoNode n, SignedBundle sb) throws Exception {
        HttpResponse<String> r = post(n, "/v0/submit/bundle", "application/octet-stream", BundleCodec.encode(sb));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(sb.id().toHex(), json.readTree(r.body()).get("id").asString());
    }

    private JsonNode refused(HttpResponse<String> r, int status, String error) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = json.readTree(r.body());
        assertEquals(error, body.get("error").asString(), r.body());
        return body;
    }

    private HttpResponse<String> post(CortadoNode n, String path, String type, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(n, path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(CortadoNode n, String path) {
        return URI.create("http://127.0.0.1:" + n.apiAddress().getPort() + path);
    }
}
