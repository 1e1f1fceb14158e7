package dev.cortado.devnet.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cortado.devnet.cli.CortadoCli;
import dev.cortado.devnet.l1.L1Kind;
import dev.cortado.devnet.run.DemoMarket;
import dev.cortado.devnet.run.Devnet;
import dev.cortado.devnet.run.DevnetConfig;
import dev.cortado.devnet.run.StoryConfig;
import dev.cortado.devnet.testing.Await;
import dev.cortado.lightclient.LightClientVerifier;
import dev.cortado.lightclient.NodeFollower;
import dev.cortado.lightclient.RollupClient;
import dev.cortado.lightclient.TransactionConfirmation;
import dev.cortado.lightclient.VerifiedTransaction;
import dev.cortado.node.l1.MarketAnswer;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sequencing rights end to end on Anvil, with the devnet's own parts (issue 11): the demo rollups registered on
 * L1, bidders and the resolver auctioning windows there, four nodes following L1, and every bidder running {@code
 * cortado sequencer}'s service. Once a window is sold and resolved, the nodes refuse a loose transaction in the
 * sold rollup; the winner's sequencer pre-confirms a group of transactions (across both rollups when it holds
 * both) and gets its bundle decided; {@code RollupClient} reads each transaction back with its proof; {@code
 * cortado verify-preconf} says honoured; and a light-client certificate posted to L1 makes them L1-final. The
 * story's demo users are off so the winner's only work is this test's; {@code DevnetStoryTest} watches the
 * page and the terminal instead.
 */
class SequencingEndToEndTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int SECONDS_PER_SLOT = 2;
    private static final long HOTSHOT_CHAIN_ID = 0xC0A7AD0L;
    private final HttpClient http = HttpClient.newHttpClient();

    /** The current window as the story sees it on L1, with the demo bidder holding alpha. */
    private record Sold(long window, String holder, String holderAddress, List<Long> namespaces) {
    }

    @Test
    void aWindowAuctionedOnL1IsEnforcedAndItsWinnersBundleIsDecidedHonouredAndL1Final(@TempDir Path out) throws Exception {
        DevnetConfig config = new DevnetConfig(L1Kind.ANVIL, SECONDS_PER_SLOT, out, 4, 3, HOTSHOT_CHAIN_ID, 2);
        StoryConfig story = new StoryConfig(true, 2, 0, 0, false, 0, 20, true, false);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Devnet devnet = Devnet.start(config, story, new PrintStream(console, true, StandardCharsets.UTF_8))) {
            List<URI> nodes = devnet.network().apiUrls();
            AtomicReference<String> lastAnswer = new AtomicReference<>("nothing sent yet");
            AtomicReference<Sold> sold = new AtomicReference<>();
            AtomicReference<JsonNode> preconfs = new AtomicReference<>();
            List<byte[]> payloads = new ArrayList<>();
            // Sold and resolved on L1, then read by the winner's sequencer at its confirmation depth: until then it
            // refuses the window with a reason, so the group is retried until it is taken.
            Await.until("the winner of a sold window pre-confirms a group", 150_000, () -> {
                Sold s = soldNow(devnet);
                if (s == null) return false;
                sold.set(s);
                payloads.clear();
                for (long ns : s.namespaces()) payloads.add(("e2e swap leg on " + ns + " in window " + s.window()).getBytes());
                HttpResponse<String> r = submitGroup(devnet.demoSequencing().serviceUrls().get(s.holder()), s.namespaces(), payloads);
                lastAnswer.set(r.statusCode() + " " + r.body());
                if (r.statusCode() != 200) return false;
                preconfs.set(JSON.readTree(r.body()).get("preconfirmations"));
                return true;
            }, () -> "last answer: " + lastAnswer.get() + "; window rows: " + devnet.demoMarket().windows());
            Sold s = sold.get();
            assertEquals(s.namespaces().size(), preconfs.get().size(), preconfs.get().toString());

            // The nodes follow the same result at the same depth (each polls L1 on its own, so they may trail the
            // sequencer by a poll): the rollups are registered, alpha is sold to the holder L1 names.
            long alpha = DemoMarket.ROLLUPS.getFirst().namespace();
            for (var market : devnet.markets()) {
                Await.until("a node's follower names the winner of window " + s.window(), 30_000, () -> {
                    MarketAnswer a = market.state().windowAt(s.window(), market.state().followedBlock());
                    return a instanceof MarketAnswer.Known k && Address.fromHex(s.holderAddress()).equals(k.market().winners().get(alpha));
                }, () -> market.state().windowAt(s.window(), market.state().followedBlock()).toString());
                var known = (MarketAnswer.Known) market.state().windowAt(s.window(), market.state().followedBlock());
                for (DemoMarket.DemoRollup r : DemoMarket.ROLLUPS) {
                    assertTrue(known.market().defaultSequencers().containsKey(r.namespace()), "rollup " + r.name() + " registered");
                }
            }
            HttpResponse<String> loose = post(nodes.get(1).resolve("/v0/submit"), "application/json",
                    ("{\"namespace\": " + alpha + ", \"payload\": \"0x6c6f6f7365\"}").getBytes());
            assertEquals(403, loose.statusCode(), loose.body());
            JsonNode refusal = JSON.readTree(loose.body());
            assertEquals("namespace_restricted", refusal.get("error").asString());
            assertTrue(refusal.get("detail").asString().toLowerCase(Locale.ROOT).contains(s.holderAddress().toLowerCase(Locale.ROOT)),
                    loose.body());

            // Decided as one bundle: every leg in the same block, the positions the sequencer signed.
            List<String> hashes = new ArrayList<>();
            for (JsonNode p : preconfs.get()) hashes.add(p.get("txHash").asString());
            Await.until("the winner's bundle decided on every node", 60_000,
                    () -> hashes.stream().allMatch(h -> nodes.stream().allMatch(n -> level(n, h).equals("hotshot_final"))),
                    () -> hashes.stream().map(h -> level(nodes.getFirst(), h)).toList() + "; the winner's sequencer: "
                            + status(devnet.demoSequencing().serviceUrls().get(s.holder())));
            long height = JSON.readTree(get(nodes.getFirst().resolve("/v0/tx/" + hashes.getFirst()))).get("height").asLong();

            RollupClient rollup = new RollupClient(nodes.stream().map(NodeFollower::new).toList(),
                    new LightClientVerifier(HOTSHOT_CHAIN_ID, devnet.validators().table()), 16);
            for (int i = 0; i < hashes.size(); i++) {
                VerifiedTransaction tx = rollup.verifiedTransaction(Bytes32.fromHex(hashes.get(i)));
                assertEquals(height, tx.height(), "leg " + i + " is in the bundle's block");
                assertEquals(HexFormat.of().formatHex(payloads.get(i)), HexFormat.of().formatHex(tx.transaction().payload()));
                assertEquals(s.namespaces().get(i), tx.transaction().namespace().value());
            }

            for (JsonNode p : preconfs.get()) {
                Path file = Files.writeString(out.resolve("preconf-" + p.get("txHash").asString() + ".json"), p.toString());
                String verdict = verifyPreconf(file, nodes.get(2), devnet.deploymentFile(), s.holderAddress());
                assertTrue(verdict.startsWith("honoured: "), verdict);
            }

            // Level 3: a certificate covering the block, posted to LightClient.sol and followed at the nodes' depth.
            Await.until("LightClient.sol covers height " + height, 60_000, () -> devnet.postLightClient() >= height,
                    () -> "light client on L1 at " + devnet.postLightClient());
            for (String h : hashes) {
                Await.until("tx " + h + " L1-final for the rollup", 60_000,
                        () -> rollup.confirmation(Bytes32.fromHex(h)).level() == TransactionConfirmation.Level.L1_FINAL,
                        () -> rollup.confirmation(Bytes32.fromHex(h)).toString());
                assertEquals(height, rollup.confirmation(Bytes32.fromHex(h)).proven().height());
            }
            assertTrue(rollup.rejectedAnswers().isEmpty(), rollup.rejectedAnswers().toString());
        }
    }

    /**
     * The current window if the story shows it final with every demo rollup registered and a demo bidder holding
     * alpha, else null. The story registers its rollups one transaction at a time, each from the first window whose
     * commit phase has not started, so when those transactions straddle a commit phase's first slot the earliest
     * auctioned window holds only some of them.
     */
    private static Sold soldNow(Devnet devnet) {
        DemoMarket market = devnet.demoMarket();
        long window = market.schedule().windowOf(devnet.currentSlot());
        DemoMarket.WindowRow row = market.window(window);
        if (row == null || row.holders().isEmpty() || !DemoMarket.isBidder(row.holders().getFirst().holder())) return null;
        if (row.holders().stream().anyMatch(h -> h.holder().equals("unregistered"))) return null;
        DemoMarket.HolderRow alpha = row.holders().getFirst();
        List<Long> namespaces = new ArrayList<>(List.of(alpha.namespace()));
        // The swapper buys alpha and beta together; then one group spans both rollups, as one bundle.
        if (row.holders().get(1).holderAddress().equalsIgnoreCase(alpha.holderAddress())) {
            namespaces.add(row.holders().get(1).namespace());
        }
        return new Sold(window, alpha.holder(), alpha.holderAddress(), namespaces);
    }

    private HttpResponse<String> submitGroup(URI sequencer, List<Long> namespaces, List<byte[]> payloads) {
        StringBuilder body = new StringBuilder("{\"transactions\":[");
        for (int i = 0; i < namespaces.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"namespace\":").append(namespaces.get(i)).append(",\"payload\":\"0x")
                    .append(HexFormat.of().formatHex(payloads.get(i))).append("\"}");
        }
        return post(sequencer.resolve("/v0/sequencer/submit"), "application/json", body.append("]}").toString().getBytes());
    }

    private static String verifyPreconf(Path preconf, URI node, Path deployment, String sequencer) {
        StringWriter text = new StringWriter();
        CommandLine cli = CortadoCli.newCommandLine();
        cli.setOut(new PrintWriter(text, true));
        cli.setErr(new PrintWriter(text, true));
        int code = cli.execute("verify-preconf", "--preconf", preconf.toString(), "--node", node.toString(),
                "--deployment", deployment.toString(), "--sequencer", sequencer);
        assertEquals(0, code, text.toString());
        return text.toString().strip();
    }

    private String status(URI sequencer) {
        try {
            return http.send(HttpRequest.newBuilder(sequencer.resolve("/v0/sequencer/status")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return "unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private String level(URI node, String hash) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve("/v0/tx/" + hash)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()).get("confirmation").get("level").asString() : "http " + r.statusCode();
        } catch (java.io.IOException e) {
            return "unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private String get(URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private HttpResponse<String> post(URI uri, String type, byte[] body) {
        try {
            return http.send(HttpRequest.newBuilder(uri).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
