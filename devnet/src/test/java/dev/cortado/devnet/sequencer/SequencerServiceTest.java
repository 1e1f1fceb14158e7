package dev.cortado.devnet.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.testing.Await;
import dev.cortado.node.market.BundlePool;
import dev.cortado.node.market.MarketWindow;
import dev.cortado.node.market.SequencingRight;
import dev.cortado.node.market.WindowActivity;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.PreConfirmation;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.SlotClock;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code cortado sequencer}'s service over real sockets against two nodes' real bundle endpoints: a cross-rollup
 * group is pre-confirmed (one bundle, consecutive positions) and lands as one bundle; work for a namespace it does
 * not hold is refused with the reason; after the first node dies the next bundle goes to the second node and no
 * bundle reaches any node twice. {@link PreconfVerifier} then reads pending, honoured and broken off a node's API.
 */
class SequencerServiceTest {
    static final long CHAIN = 31337;
    static final Address MARKET = Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    static final Secp256k1.KeyPair WINNER = Secp256k1.keyPair(BigInteger.valueOf(4242));
    static final Secp256k1.KeyPair OTHER = Secp256k1.keyPair(BigInteger.valueOf(77));
    private static final JsonMapper JSON = JsonMapper.builder().build();
    // Window 0 runs for 32 slots of 12 s from a genesis one minute ago: the test stays inside it.
    static final MarketClock CLOCK = new MarketClock(new SlotClock(System.currentTimeMillis() / 1000 - 60, 12), 32, 3, 10);
    static final MarketWindow WINDOW = new MarketWindow(0, 32, Map.of(10L, OTHER.address(), 11L, OTHER.address()),
            Map.of(10L, WINNER.address(), 11L, WINNER.address()));

    static SequencerRights rightsOf(Address self) {
        return (window, ns) -> switch (WINDOW.rightOf(ns, WindowActivity.start(WINDOW, 4))) {
            case SequencingRight.Restricted r when r.sequencer().equals(self) -> Optional.empty();
            case SequencingRight.Restricted r -> Optional.of("namespace " + ns + " belongs to " + r.sequencer().toHex());
            case SequencingRight.Open o -> Optional.of("namespace " + ns + " is not registered in window " + window);
        };
    }

    @Test
    void preconfirmsSubmitsBundlesAndFailsOverWithoutDuplicates() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (FakeChainNode node0 = new FakeChainNode(CHAIN, MARKET, CLOCK, WINDOW);
                FakeChainNode node1 = new FakeChainNode(CHAIN, MARKET, CLOCK, WINDOW)) {
            Sequencer sequencer = new Sequencer(WINNER, CHAIN, MARKET, CLOCK, rightsOf(WINNER.address()), System::currentTimeMillis);
            try (SequencerService service = SequencerService.start(sequencer, List.of(node0.url, node1.url),
                    new InetSocketAddress("127.0.0.1", 0), 5)) {
                URI base = URI.create("http://127.0.0.1:" + service.address().getPort());
                HttpResponse<String> ok = post(http, base, "{\"transactions\": [{\"namespace\": 10, \"payload\": \"0x0102\"},"
                        + " {\"namespace\": 11, \"payload\": \"0x0304\"}]}");
                assertEquals(200, ok.statusCode(), ok.body());
                JsonNode pcs = JSON.readTree(ok.body()).get("preconfirmations");
                assertEquals(2, pcs.size());
                for (int i = 0; i < 2; i++) {
                    PreconfJson p = JSON.treeToValue(pcs.get(i), PreconfJson.class);
                    assertEquals(i, p.position());
                    assertEquals(0, p.sequence());
                    assertEquals(0, p.window());
                    assertEquals(31, p.expirySlot());
                    assertEquals(WINNER.address(), p.toSigned().signer().orElseThrow(), "the signature recovers the winner");
                }
                assertEquals(new Transaction(NamespaceId.of(10), new byte[] {1, 2}).hash().toHex(), pcs.get(0).get("txHash").stringValue());

                HttpResponse<String> notHeld = post(http, base, "{\"transactions\": [{\"namespace\": 77, \"payload\": \"0x05\"}]}");
                assertEquals(403, notHeld.statusCode());
                assertEquals("namespace 77 is not registered in window 0", JSON.readTree(notHeld.body()).get("detail").stringValue());
                HttpResponse<String> bad = post(http, base, "{\"transactions\": [{\"namespace\": 10, \"payload\": \"zz\"}]}");
                assertEquals(400, bad.statusCode());

                Await.until("the first bundle on node 0", 10_000, () -> node0.pool.size() == 1, () -> "");
                BundlePool.Pooled first = node0.pool.forWindow(0).getFirst();
                assertEquals(2, first.bundle().bundle().transactions().size(), "both rollups' transactions in one bundle");
                assertEquals(Map.of(10L, 1L, 11L, 1L), Map.of(10L, count(first, 10), 11L, count(first, 11)));

                // A send to node 0 that outlived its timeout goes on to node 1 although node 0 may have taken it
                // (safe: the network decides a bundle at most once); only then may node 1 hold bundle 0 as well.
                // Node 0's pool holds the bundle before the service reads node 0's answer, so wait for that answer:
                // closing node 0 in between would fail the send over, and the failover count must already say so.
                Await.until("the service took node 0's answer for bundle 0", 10_000, () -> service.submittedBundles() == 1,
                        () -> "submitted " + service.submittedBundles() + "; " + service.lastNodeError());
                boolean answeredFirstTime = service.failovers() == 0;
                node0.close();
                assertEquals(200, post(http, base, "{\"transactions\": [{\"namespace\": 10, \"payload\": \"0x06\"}]}").statusCode());
                Await.until("the second bundle on node 1", 10_000, () -> sequencesOn(node1).contains(1L),
                        () -> "node 1 holds " + sequencesOn(node1) + "; " + service.lastNodeError());
                assertTrue(service.failovers() >= 1, "the closed node 0 was passed over");
                if (answeredFirstTime) assertEquals(List.of(1L), sequencesOn(node1), "bundle 0 never reached node 1");
                service.sealAndSend();
                assertEquals(2, service.submittedBundles(), "each bundle was taken exactly once");
                assertEquals(0, sequencer.queuedCount());
            }
        }
    }

    /**
     * Regression: the sequencer reads its rights at L1's latest block minus the depth, while each node's follower
     * reaches that block only on its next poll. A node that still sees the window unsold refuses the winner's
     * bundle as {@code not_right_holder}; the service used to drop it then, breaking pre-confirmations it had
     * already signed. It now keeps the bundle and sends it again once the node has caught up.
     */
    @Test
    void aBundleRefusedByANodeThatHasNotFollowedTheResultYetIsSentAgainNotDropped() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        MarketWindow unsoldYet = new MarketWindow(0, 32, WINDOW.defaultSequencers(), Map.of());
        try (FakeChainNode node = new FakeChainNode(CHAIN, MARKET, CLOCK, unsoldYet)) {
            Sequencer sequencer = new Sequencer(WINNER, CHAIN, MARKET, CLOCK, rightsOf(WINNER.address()), System::currentTimeMillis);
            try (SequencerService service = SequencerService.start(sequencer, List.of(node.url),
                    new InetSocketAddress("127.0.0.1", 0), 5)) {
                URI base = URI.create("http://127.0.0.1:" + service.address().getPort());
                assertEquals(200, post(http, base, "{\"transactions\": [{\"namespace\": 10, \"payload\": \"0x0a\"}]}").statusCode());
                Await.until("the node to refuse the bundle twice", 10_000, () -> node.bundlesRefused.get() >= 2,
                        () -> "refused " + node.bundlesRefused.get());
                assertEquals(0, node.pool.size());
                assertEquals(1, sequencer.queuedCount(), "the refused bundle is kept");
                assertEquals(0, service.submittedBundles());
                assertTrue(service.deferredBundles() >= 2);

                node.window = WINDOW; // the node's follower reaches the block where the window is final
                Await.until("the bundle taken once the node has followed", 10_000, () -> node.pool.size() == 1,
                        () -> "deferred " + service.deferredBundles());
                assertEquals(0, node.pool.forWindow(0).getFirst().bundle().bundle().sequence());
                Await.until("the queue empty", 10_000, () -> sequencer.queuedCount() == 0, () -> "");
                assertEquals(1, service.submittedBundles());
            }
        }
    }

    @Test
    void verifierSaysPendingHonouredOrBrokenWithEvidence() throws Exception {
        try (FakeChainNode node = new FakeChainNode(CHAIN, MARKET, CLOCK, WINDOW)) {
            Transaction tx = new Transaction(NamespaceId.of(10), new byte[] {9});
            PreConfirmation.Signed signed = new PreConfirmation(CHAIN, MARKET, tx.hash(), 10, 0, 3, 1, 31).sign(WINNER);
            PreconfVerifier verifier = new PreconfVerifier(node.url, CLOCK);
            long now = System.currentTimeMillis();
            assertEquals(PreconfVerifier.Status.PENDING, verifier.verify(signed, Optional.of(WINNER.address()), now).status());
            PreconfVerifier.Verdict late = verifier.verify(signed, Optional.empty(), CLOCK.slots().slotStartSec(40) * 1000);
            assertEquals(PreconfVerifier.Status.BROKEN, late.status());
            assertTrue(late.detail().contains("is not decided at slot 40; evidence: {\"chainId\":31337"), late.detail());
            PreconfVerifier.Verdict impostor = verifier.verify(signed, Optional.of(OTHER.address()), now);
            assertEquals("signed by " + WINNER.address().toHex() + ", not by the sequencer " + OTHER.address().toHex()
                    + " (not a promise of that sequencer)", impostor.detail());

            Transaction first = new Transaction(NamespaceId.of(11), new byte[] {1});
            long inWindow = CLOCK.slots().slotStartSec(2) * 1000;
            // Decided loose (no bundle of the winner in the block): the promised position was not kept.
            node.decide(tx.hash(), 4, 10, 0, inWindow);
            PreconfVerifier.Verdict loose = verifier.verify(signed, Optional.of(WINNER.address()), now);
            assertEquals(PreconfVerifier.Status.BROKEN, loose.status());
            assertTrue(loose.detail().startsWith("transaction decided at height 4 outside bundle 3 of "
                    + WINNER.address().toHex() + " (the block holds no such bundle); evidence: "), loose.detail());
            // In the promised bundle, but at position 0 instead of 1.
            node.decide(tx.hash(), 5, 10, 0, inWindow, record(3, tx, first));
            PreconfVerifier.Verdict moved = verifier.verify(signed, Optional.of(WINNER.address()), now);
            assertEquals(PreconfVerifier.Status.BROKEN, moved.status());
            assertTrue(moved.detail().startsWith("transaction decided at height 5 at position 0 of bundle 3, promised at"
                    + " position 1; evidence: "), moved.detail());
            node.decide(tx.hash(), 5, 10, 1, inWindow, record(3, first, tx));
            PreconfVerifier.Verdict honoured = verifier.verify(signed, Optional.of(WINNER.address()), now);
            assertEquals(PreconfVerifier.Status.HONOURED, honoured.status(), honoured.detail());
            assertEquals("decided at height 5, namespace 10, index 1, in window 0, at position 1 of bundle 3", honoured.detail());

            node.decide(tx.hash(), 6, 11, 0, CLOCK.slots().slotStartSec(3) * 1000);
            PreconfVerifier.Verdict wrongNs = verifier.verify(signed, Optional.empty(), now);
            assertEquals(PreconfVerifier.Status.BROKEN, wrongNs.status());
            assertTrue(wrongNs.detail().startsWith("transaction decided at height 6 in namespace 11, promised in namespace 10"));

            PreConfirmation.Signed forged = new PreConfirmation.Signed(new PreConfirmation(CHAIN, MARKET, tx.hash(), 10, 0, 3, 2,
                    31), signed.signature());
            assertTrue(forged.signer().map(a -> !a.equals(WINNER.address())).orElse(true),
                    "changing the position breaks the winner's signature");
        }
    }

    /** The record of the winner's bundle {@code sequence} in window 0, as a block carries it. */
    private static dev.cortado.protocol.market.BundleRecord record(long sequence, Transaction... txs) {
        return dev.cortado.protocol.market.BundleRecord.of(new dev.cortado.protocol.market.Bundle(CHAIN, MARKET, 0, sequence, 31,
                List.of(txs)).sign(WINNER));
    }

    private static List<Long> sequencesOn(FakeChainNode node) {
        return node.pool.forWindow(0).stream().map(p -> p.bundle().bundle().sequence()).sorted().toList();
    }

    private static long count(BundlePool.Pooled p, long ns) {
        return p.bundle().bundle().transactions().stream().filter(t -> t.namespace().value() == ns).count();
    }

    private static HttpResponse<String> post(HttpClient http, URI base, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/v0/sequencer/submit")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }
}
