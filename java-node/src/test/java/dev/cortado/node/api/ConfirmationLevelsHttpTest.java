package dev.cortado.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.lightclient.api.BlockAnswer;
import dev.cortado.lightclient.api.TransactionAnswer;
import dev.cortado.node.l1.LightClientOnL1;
import dev.cortado.node.l1.MarketAdmission;
import dev.cortado.node.l1.MarketAnswer;
import dev.cortado.node.l1.MarketConfirmations;
import dev.cortado.node.l1.MarketState;
import dev.cortado.node.market.BundlePool;
import dev.cortado.node.market.MarketWindow;
import dev.cortado.node.mempool.SubmitResult;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.block.BlockPayload;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.market.Bundle;
import dev.cortado.protocol.market.BundleCodec;
import dev.cortado.protocol.market.SignedBundle;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Height;
import dev.cortado.protocol.types.View;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.SlotClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three levels over real HTTP: a transaction in an admitted bundle is pre-confirmed (naming the bundle and its
 * signer), a decided one HotShot-final (height, view), and L1-final once the light-client state the follower read
 * covers its height with this chain's root, never with another root. The block endpoint and the block stream carry
 * the same levels.
 */
class ConfirmationLevelsHttpTest {
    private static final long CHAIN = 31337;
    private static final Address MARKET = Address.fromHex("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    private static final Secp256k1.KeyPair DEFAULT_SEQ = Secp256k1.keyPair(BigInteger.valueOf(201));
    private static final long NS = 10;
    private static final long GENESIS = 1_800_000_000L;
    private static final MarketClock CLOCK = new MarketClock(new SlotClock(GENESIS, 12), 32, 3, 10);
    private static final Bytes32 ROOT_3 = Bytes32.fromHex("0x" + "33".repeat(32));

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicReference<Optional<LightClientOnL1>> onL1 = new AtomicReference<>(Optional.empty());
    private final Transaction decidedTx = new Transaction(NamespaceId.of(NS), new byte[] {1, 2, 3});
    private final BlockPayload payload = BlockPayload.build(List.of(new Transaction(NamespaceId.of(NS), new byte[] {9}), decidedTx));
    private final BlockHeader header3 = new BlockHeader(new Height(3), new View(7), Bytes32.ZERO, 1_000, 12, payload.payloadRoot(),
            Bytes32.ZERO, payload.nsTableComm(), payload.byteLength(), Bytes32.ZERO);
    private final ChainOfOne backend = new ChainOfOne();
    private HttpApiServer server;
    private URI base;

    /** One decided block at height 3 (view 7) with two transactions; the node's root over headers 0..3 is ROOT_3. */
    private final class ChainOfOne implements ApiBackend {
        final List<Runnable> listeners = new CopyOnWriteArrayList<>();

        @Override public SubmitResult submit(long namespace, byte[] bytes) {
            throw new AssertionError("these tests read confirmations only; nothing submits");
        }
        @Override public Object status() {
            return Map.of();
        }
        @Override public Optional<Object> block(long height, Optional<Long> certifiedHeight) {
            return height == 3 ? Optional.of(BlockAnswer.of(header3, CHAIN, null, null)) : Optional.empty();
        }
        @Override public Optional<Object> lightClient(Optional<Long> height) {
            return Optional.empty();
        }
        @Override public Optional<dev.cortado.protocol.block.NamespaceProof> namespace(long height, long namespace) {
            return Optional.empty();
        }
        @Override public Optional<Object> transaction(Bytes32 hash) {
            return payload.locate(hash).map(l -> TransactionAnswer.of(3, 7, payload.transactionProof(l.namespace(), l.index())));
        }
        @Override public Optional<Bytes32> headerRoot(long height) {
            return height == 3 ? Optional.of(ROOT_3) : Optional.empty();
        }
        @Override public long latestHeight() {
            return 3;
        }
        @Override public long oldestHeight() {
            return 3;
        }
        @Override public void onDecided(Runnable listener) {
            listeners.add(listener);
        }
    }

    private final MarketState state = new MarketState() {
        @Override public long followedBlock() {
            return 40;
        }
        @Override public MarketAnswer windowAt(long window, long l1Block) {
            return new MarketAnswer.Known(new MarketWindow(window, 32, Map.of(NS, DEFAULT_SEQ.address()), Map.of()), true);
        }
        @Override public MarketClock clock() {
            return CLOCK;
        }
    };

    @BeforeEach
    void start() {
        server = new HttpApiServer(backend, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), ApiSettings.defaults(64 * 1024));
        base = URI.create("http://127.0.0.1:" + server.start("127.0.0.1", 0).getPort());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aPooledBundlesTransactionIsPreConfirmedAndNamesTheBundle() throws Exception {
        Transaction pending = new Transaction(NamespaceId.of(NS), new byte[] {4, 4});
        assertEquals(404, get("/v0/tx/" + pending.hash().toHex()).statusCode(), "no source installed, nothing pooled");
        BundlePool pool = new BundlePool(4, 16, 1 << 20);
        server.marketGate(new MarketAdmission(state, CHAIN, MARKET, () -> (GENESIS + 30) * 1000, pool));
        server.confirmations(new MarketConfirmations(pool, onL1::get));
        HttpResponse<String> unknown = get("/v0/tx/" + pending.hash().toHex());
        assertEquals(404, unknown.statusCode());
        assertEquals("no decided or pre-confirmed transaction " + pending.hash().toHex(), json.readTree(unknown.body())
                .get("detail").stringValue());

        Transaction first = new Transaction(NamespaceId.of(NS), new byte[] {5});
        SignedBundle signed = new Bundle(CHAIN, MARKET, 0, 0, 31, List.of(first, pending)).sign(DEFAULT_SEQ);
        HttpResponse<String> admitted = http.send(HttpRequest.newBuilder(base.resolve("/v0/submit/bundle"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(
                        BundleCodec.encode(signed))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, admitted.statusCode(), admitted.body());

        JsonNode a = okJson("/v0/tx/" + pending.hash().toHex());
        assertEquals(-1, a.get("height").longValue());
        assertTrue(a.get("txPath").isNull(), "no proof before it is decided");
        assertEquals("0x0404", a.get("transaction").stringValue());
        JsonNode c = a.get("confirmation");
        assertEquals("pre_confirmed", c.get("level").stringValue());
        assertTrue(c.get("height").isNull());
        JsonNode b = c.get("preConfirmed");
        assertEquals(signed.id().toHex(), b.get("bundle").stringValue());
        assertEquals(DEFAULT_SEQ.address().toHex(), b.get("signer").stringValue());
        assertEquals(0, b.get("window").longValue());
        assertEquals(0, b.get("sequence").longValue());
        assertEquals(1, b.get("position").intValue());

        pool.remove(signed.id());
        assertEquals(404, get("/v0/tx/" + pending.hash().toHex()).statusCode(), "a bundle that left the pool pre-confirms nothing");
    }

    @Test
    void aDecidedTransactionTurnsL1FinalOnlyWhenTheLightClientCoversItWithThisChainsRoot() throws Exception {
        String path = "/v0/tx/" + decidedTx.hash().toHex();
        JsonNode c = okJson(path).get("confirmation");
        assertEquals("hotshot_final", c.get("level").stringValue(), "no light client followed");
        assertEquals(3, c.get("height").longValue());
        assertEquals(7, c.get("view").longValue());
        assertTrue(c.get("l1").isNull());

        server.confirmations(new MarketConfirmations(new BundlePool(1, 1, 1), onL1::get));
        onL1.set(Optional.of(new LightClientOnL1(50, 5, 2, ROOT_3)));
        assertEquals("hotshot_final", okJson(path).get("confirmation").get("level").stringValue(),
                "the light client's height 2 is below the transaction's 3 (and this node has no root for 2)");

        onL1.set(Optional.of(new LightClientOnL1(51, 7, 3, Bytes32.fromHex("0x" + "44".repeat(32)))));
        assertEquals("hotshot_final", okJson(path).get("confirmation").get("level").stringValue(),
                "a light-client root that is not this chain's makes nothing L1-final");

        onL1.set(Optional.of(new LightClientOnL1(52, 7, 3, ROOT_3)));
        JsonNode fin = okJson(path).get("confirmation");
        assertEquals("l1_final", fin.get("level").stringValue());
        assertEquals(3, fin.get("height").longValue());
        assertEquals(7, fin.get("view").longValue());
        assertEquals(52, fin.get("l1").get("l1Block").longValue());
        assertEquals(3, fin.get("l1").get("lightClientHeight").longValue());
        assertEquals(ROOT_3.toHex(), fin.get("l1").get("blockCommRoot").stringValue());
        assertEquals("l1_final", okJson("/v0/block/3").get("confirmation").get("level").stringValue());
    }

    @Test
    void theBlockStreamCarriesLevelsAndAnnouncesL1Finality() throws Exception {
        server.confirmations(new MarketConfirmations(new BundlePool(1, 1, 1), onL1::get));
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(base.resolve("/v0/stream/blocks?from=3")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            JsonNode block = json.readTree(dataOf(in, "block"));
            assertEquals("hotshot_final", block.get("confirmation").get("level").stringValue());
            assertEquals(7, block.get("confirmation").get("view").longValue());
            onL1.set(Optional.of(new LightClientOnL1(60, 7, 3, ROOT_3)));
            backend.listeners.forEach(Runnable::run); // a later decision wakes the stream
            JsonNode announced = json.readTree(dataOf(in, "l1_final"));
            assertEquals(3, announced.get("lightClientHeight").longValue());
            assertEquals(60, announced.get("l1Block").longValue());
        }
    }

    /** The data line of the next event named {@code event}. */
    private static String dataOf(BufferedReader in, String event) throws Exception {
        String line;
        boolean inEvent = false;
        while ((line = in.readLine()) != null) {
            if (line.equals("event: " + event)) inEvent = true;
            else if (inEvent && line.startsWith("data: ")) return line.substring(6);
        }
        throw new AssertionError("stream ended before a " + event + " event");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode okJson(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body());
    }
}
