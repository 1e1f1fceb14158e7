package dev.cortado.devnet.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.testing.Await;
import dev.cortado.protocol.block.BlockHeader;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.SlotClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The silence fallback with real {@code cortado sequencer} services on the devnet's four nodes: the winner of
 * rollup 10 pre-confirms and gets its bundle decided, then its service is killed. The default sequencer's
 * service refuses the rollup while the winner holds it, and takes it over only once the nodes' chain shows the
 * winner silent ({@code /v0/status} market.fallenSilent, {@value #SILENCE_SLOTS} slots of 1 s); its bundle is
 * then decided, no earlier than the silence after the winner's, and {@link PreconfVerifier} finds both
 * pre-confirmations honoured.
 */
class SequencerFallbackTest {
    private static final long NS = 10;
    private static final long SILENCE_SLOTS = 4;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Address WINNER = SequencerServiceTest.WINNER.address();
    private static final Address DEFAULT = SequencerServiceTest.OTHER.address();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theDefaultSequencerTakesOverOnlyOnceTheChainShowsTheKilledWinnerSilent(@TempDir Path dir) throws Exception {
        try (FixedMarketNetwork market = FixedMarketNetwork.startOpen(dir)) {
            // The winner must be heard within the silence of its window's start, so the window opens only once the
            // nodes decide: 2 s from then (60 slots of 1 s). Nothing waits for it but the polls below.
            Await.until("the nodes to decide", 60_000, () -> market.node(0).height() >= 2, () -> "height " + market.node(0).height());
            MarketClock clock = new MarketClock(new SlotClock(System.currentTimeMillis() / 1000 + 2, 1), 60, 3, 10);
            market.enforce(clock, Map.of(NS, DEFAULT), Map.of(NS, WINNER), SILENCE_SLOTS);
            FallbackRights.Holders onL1 = (w, ns) -> ns == NS ? Optional.of(new FallbackRights.Holding(WINNER, DEFAULT))
                    : Optional.empty();
            SequencerRights winnerRights = (w, ns) -> ns == NS ? Optional.empty() : Optional.of("not registered");
            SequencerRights defaultOnL1 = (w, ns) -> Optional.of("namespace " + ns + " in window " + w + " belongs to " + WINNER.toHex());
            SequencerService winner = SequencerService.start(new Sequencer(SequencerServiceTest.WINNER, SequencerServiceTest.CHAIN,
                    SequencerServiceTest.MARKET, clock, winnerRights, System::currentTimeMillis), market.apiUrls(),
                    new InetSocketAddress("127.0.0.1", 0), 5);
            try (SequencerService fallback = SequencerService.start(new Sequencer(SequencerServiceTest.OTHER,
                    SequencerServiceTest.CHAIN, SequencerServiceTest.MARKET, clock,
                    new FallbackRights(defaultOnL1, onL1, DEFAULT, new NodeFallbackReports(market.apiUrls(), 100, System::currentTimeMillis)),
                    System::currentTimeMillis), market.apiUrls(), new InetSocketAddress("127.0.0.1", 0), 5)) {
                JsonNode fromWinner = preconfirmWhenTaken(winner, "winner's tx");
                Await.until("the winner's bundle decided", 30_000, () -> decidedSlot(market, fromWinner) >= 0,
                        () -> "height " + market.node(0).height() + ", node 0 fallen " + fallenAt(market.apiUrls().getFirst())
                                + ", winner's sequencer submitted " + winner.submittedBundles() + " bundles");
                long winnerSlot = decidedSlot(market, fromWinner);

                HttpResponse<String> early = submit(fallback, "default's early tx");
                assertEquals(403, early.statusCode(), early.body());
                assertTrue(JSON.readTree(early.body()).get("detail").asString().contains("takes it over only once the chain shows "
                        + WINNER.toHex() + " silent in window 0"), early.body());

                winner.close(); // the winner's sequencer is gone: no more bundles from it
                JsonNode fromDefault = preconfirmWhenTaken(fallback, "default's tx");
                long fallen = market.apiUrls().stream().filter(u -> fallenAt(u).contains(WINNER.toHex())).count();
                assertTrue(fallen >= 3, "a majority of the nodes reported the winner silent; " + fallen + " do now");
                Await.until("the default's bundle decided", 30_000, () -> decidedSlot(market, fromDefault) >= 0, () -> "");
                long defaultSlot = decidedSlot(market, fromDefault);
                assertTrue(defaultSlot - winnerSlot >= SILENCE_SLOTS, "decided at slot " + defaultSlot + ", "
                        + (defaultSlot - winnerSlot) + " after the winner's at " + winnerSlot);

                // Node 0 is where both were seen decided; another node may still be a block behind.
                PreconfVerifier verifier = new PreconfVerifier(market.apiUrls().getFirst(), clock);
                PreconfVerifier.Verdict w = verifier.verify(JSON.treeToValue(fromWinner, PreconfJson.class).toSigned(),
                        Optional.of(WINNER), System.currentTimeMillis());
                assertEquals(PreconfVerifier.Status.HONOURED, w.status(), w.detail());
                PreconfVerifier.Verdict d = verifier.verify(JSON.treeToValue(fromDefault, PreconfJson.class).toSigned(),
                        Optional.of(DEFAULT), System.currentTimeMillis());
                assertEquals(PreconfVerifier.Status.HONOURED, d.status(), d.detail());
            } finally {
                winner.close();
            }
        }
    }

    /** Sends one transaction until the service takes it (it refuses before the window opens) and returns its pre-confirmation. */
    private JsonNode preconfirmWhenTaken(SequencerService service, String payload) {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Await.until("a pre-confirmation for " + payload, 30_000, () -> {
            last.set(submit(service, payload));
            return last.get().statusCode() == 200;
        }, () -> last.get() == null ? "" : last.get().statusCode() + " " + last.get().body());
        return JSON.readTree(last.get().body()).get("preconfirmations").get(0);
    }

    private HttpResponse<String> submit(SequencerService service, String payload) {
        String body = "{\"transactions\": [{\"namespace\": " + NS + ", \"payload\": \"" + SequencerServiceTest.hex(payload.getBytes()) + "\"}]}";
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.address().getPort() + "/v0/sequencer/submit"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The slot of the block node 0 decided the pre-confirmed transaction in, or -1 while it is not decided there. */
    private static long decidedSlot(FixedMarketNetwork market, JsonNode preconf) {
        var at = market.node(0).store().txLocation(Bytes32.fromHex(preconf.get("txHash").asString()).bytes());
        if (at.isEmpty()) return -1;
        BlockHeader h = BlockHeader.decode(market.node(0).store().decided(at.get().height()).orElseThrow().header());
        return market.clock.slots().slotAt(h.timestampMs() / 1000);
    }

    private List<String> fallenAt(URI node) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve("/v0/status")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode m = JSON.readTree(r.body()).get("market");
            List<String> out = new java.util.ArrayList<>();
            if (m != null && m.isObject()) {
                for (JsonNode a : m.get("fallenSilent")) out.add(a.asString());
            }
            return out;
        } catch (java.io.IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
