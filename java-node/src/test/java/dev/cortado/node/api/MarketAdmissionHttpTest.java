package dev.cortado.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.node.l1.MarketAdmission;
import dev.cortado.node.l1.MarketAnswer;
import dev.cortado.node.l1.MarketState;
import dev.cortado.node.market.BundlePool;
import dev.cortado.node.market.MarketWindow;
import dev.cortado.node.mempool.MempoolLimits;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.Bundle;
import dev.cortado.protocol.market.BundleCodec;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.SlotClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The window rule at submission, over real HTTP: loose transactions only for unregistered namespaces, bundles
 * only from the holder of every restricted namespace they touch, each refusal a 4xx with a reason. The market
 * state is a fixed {@link MarketState} (the follower that produces it is tested on Anvil in the devnet module).
 */
class MarketAdmissionHttpTest {
    private static final long CHAIN = 31337;
    private static final Address MARKET = Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    private static final Secp256k1.KeyPair WINNER = Secp256k1.keyPair(BigInteger.valueOf(101));
    private static final Secp256k1.KeyPair DEFAULT_A = Secp256k1.keyPair(BigInteger.valueOf(201));
    private static final Secp256k1.KeyPair STRANGER = Secp256k1.keyPair(BigInteger.valueOf(999));
    private static final long NS_A = 10;
    private static final long NS_B = 11;
    private static final long NS_OPEN = 77;
    private static final long GENESIS = 1_800_000_000L;
    private static final MarketClock CLOCK = new MarketClock(new SlotClock(GENESIS, 12), 32, 3, 10);

    private final AtomicReference<Map<Long, MarketWindow>> windows = new AtomicReference<>();
    private final AtomicLong followed = new AtomicLong(40);
    private final AtomicLong nowMs = new AtomicLong((GENESIS + 30) * 1000); // slot 2 of window 0
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private HttpApiServer server;
    private URI base;

    private final MarketState state = new MarketState() {
        @Override
        public long followedBlock() {
            return followed.get();
        }

        @Override
        public MarketAnswer windowAt(long window, long l1Block) {
            if (l1Block > followed.get()) return new MarketAnswer.NotYetSeen(l1Block, followed.get());
            MarketWindow w = windows.get().get(window);
            return w == null ? new MarketAnswer.Unavailable("window " + window + " is not tracked")
                    : new MarketAnswer.Known(w, !w.winners().isEmpty());
        }

        @Override
        public MarketClock clock() {
            return CLOCK;
        }
    };

    @BeforeEach
    void start() {
        server = new HttpApiServer(new TestChainBackend(new MempoolLimits(1024, 64 * 1024, 64 * 1024, 1000)),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.defaults(64 * 1024));
        base = URI.create("http://127.0.0.1:" + server.start("127.0.0.1", 0).getPort());
        windows.set(Map.of(0L, window(0, false), 1L, window(1, true)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static MarketWindow window(long w, boolean sold) {
        return new MarketWindow(w, 32, Map.of(NS_A, DEFAULT_A.address(), NS_B, DEFAULT_A.address()),
                sold ? Map.of(NS_A, WINNER.address(), NS_B, WINNER.address()) : Map.of());
    }

    @Test
    void looseTransactionsEnterOnlyUnregisteredNamespaces() throws Exception {
        assertEquals(200, submit(NS_A).statusCode(), "no gate installed: every namespace is open");
        server.marketGate(new MarketAdmission(state, CHAIN, MARKET, nowMs::get, new BundlePool(4, 16, 1 << 20)));
        assertEquals(200, submit(NS_OPEN).statusCode());
        HttpResponse<String> unsold = submit(NS_B);
        assertEquals(403, unsold.statusCode());
        assertEquals("namespace_restricted", error(unsold));
        assertEquals("namespace 11 is unsold in window 0: only bundles signed by " + DEFAULT_A.address().toHex()
                + " are accepted", detail(unsold));

        nowMs.set((GENESIS + 32 * 12 + 1) * 1000); // window 1, sold to WINNER
        HttpResponse<String> sold = submit(NS_A);
        assertEquals(403, sold.statusCode());
        assertEquals("namespace 10 is sold in window 1: only bundles signed by " + WINNER.address().toHex()
                + " are accepted", detail(sold));

        JsonNode batch = json.readTree(post("/v0/submit/batch", "application/json", ("{\"transactions\": [{\"namespace\": 10,"
                + " \"payload\": \"0x01\"}, {\"namespace\": 77, \"payload\": \"0x02\"}]}").getBytes()).body());
        assertEquals("namespace_restricted", batch.get("results").get(0).get("error").stringValue());
        assertTrue(batch.get("results").get(1).has("hash"));

        followed.set(-1);
        HttpResponse<String> unknown = submit(NS_OPEN);
        assertEquals(503, unknown.statusCode(), "before the follower has read L1 the node cannot tell open from sold");
        assertEquals("this node has not followed L1 yet", detail(unknown));
    }

    @Test
    void bundlesAreJudgedCheapestFirstAndPooled() throws Exception {
        HttpResponse<String> disabled = post("/v0/submit/bundle", "application/octet-stream", new byte[] {1});
        assertEquals(404, disabled.statusCode());
        assertEquals("bundles_disabled", error(disabled));
        BundlePool pool = new BundlePool(4, 16, 1 << 20);
        server.marketGate(new MarketAdmission(state, CHAIN, MARKET, nowMs::get, pool));
        nowMs.set((GENESIS + 32 * 12 + 1) * 1000); // window 1

        byte[] good = BundleCodec.encode(bundle(CHAIN, MARKET, 1, 0, tx(NS_A, 1), tx(NS_B, 2)).sign(WINNER));
        HttpResponse<String> ok = bundleCall(good);
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode body = json.readTree(ok.body());
        assertEquals(WINNER.address().toHex(), body.get("signer").stringValue());
        assertFalse(body.get("duplicate").booleanValue());
        assertTrue(json.readTree(bundleCall(good).body()).get("duplicate").booleanValue());
        assertEquals(1, pool.size());
        assertEquals(1, pool.forWindow(1).size());

        HttpResponse<String> fallbackHolder = bundleCall(BundleCodec.encode(bundle(CHAIN, MARKET, 1, 0, tx(NS_A, 3)).sign(DEFAULT_A)));
        assertEquals(200, fallbackHolder.statusCode(), "the default sequencer may pre-submit for a fallback");

        expect(403, "not_right_holder", "bundle signed by " + STRANGER.address().toHex() + " touches namespace 10, which is sold to "
                + WINNER.address().toHex() + " in window 1", bundle(CHAIN, MARKET, 1, 0, tx(NS_A, 4), tx(NS_OPEN, 5)).sign(STRANGER));
        expect(400, "sequence_taken", WINNER.address().toHex() + " already has another bundle with sequence 0 in window 1",
                bundle(CHAIN, MARKET, 1, 0, tx(NS_A, 6)).sign(WINNER));
        expect(400, "wrong_domain", "bundle is for chain 1 and marketplace " + MARKET.toHex() + "; this network is chain 31337,"
                + " marketplace " + MARKET.toHex(), bundle(1, MARKET, 1, 1, tx(NS_A, 7)).sign(WINNER));
        expect(400, "wrong_window", "bundle is for window 5; this node takes windows 1 and 2",
                bundle(CHAIN, MARKET, 5, 1, tx(NS_A, 8)).sign(WINNER));
        expect(400, "bundle_expired", "bundle expired at slot 10, now slot 32",
                new Bundle(CHAIN, MARKET, 1, 1, 10, List.of(tx(NS_A, 9))).sign(WINNER));
        HttpResponse<String> truncated = bundleCall(Arrays.copyOf(good, good.length - 1));
        assertEquals(400, truncated.statusCode());
        assertEquals("malformed_bundle", error(truncated));
        HttpResponse<String> wrongType = post("/v0/submit/bundle", "application/json", good);
        assertEquals(415, wrongType.statusCode());
        assertEquals(2, pool.size(), "nothing refused reached the pool");
    }

    private void expect(int status, String error, String detail, dev.cortado.protocol.market.SignedBundle b) throws Exception {
        HttpResponse<String> r = bundleCall(BundleCodec.encode(b));
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(error, error(r));
        assertEquals(detail, detail(r));
    }

    private static Bundle bundle(long chain, Address market, long window, long sequence, Transaction... txs) {
        return new Bundle(chain, market, window, sequence, (window + 1) * 32, List.of(txs));
    }

    private static Transaction tx(long ns, int tag) {
        return new Transaction(NamespaceId.of(ns), new byte[] {(byte) tag, (byte) ns});
    }

    private HttpResponse<String> bundleCall(byte[] body) throws Exception {
        return post("/v0/submit/bundle", "application/octet-stream", body);
    }

    private HttpResponse<String> submit(long ns) throws Exception {
        return post("/v0/submit", "application/json", ("{\"namespace\": " + ns + ", \"payload\": \"0x0a0b\"}").getBytes());
    }

    private HttpResponse<String> post(String path, String type, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String error(HttpResponse<String> r) {
        return json.readTree(r.body()).get("error").stringValue();
    }

    private String detail(HttpResponse<String> r) {
        return json.readTree(r.body()).get("detail").stringValue();
    }
}
