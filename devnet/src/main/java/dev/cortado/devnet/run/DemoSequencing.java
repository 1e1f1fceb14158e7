package dev.cortado.devnet.run;

import dev.cortado.devnet.sequencer.FallbackRights;
import dev.cortado.devnet.sequencer.L1SequencerRights;
import dev.cortado.devnet.sequencer.Sequencer;
import dev.cortado.devnet.sequencer.SequencerService;
import dev.cortado.protocol.market.Secp256k1;
import dev.cortado.protocol.types.Address;
import dev.cortado.settlement.port.L1Client;
import dev.cortado.settlement.port.L1Connector;
import dev.cortado.settlement.port.MarketplaceL1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.web3j.crypto.Credentials;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sequencing half of the story. Every demo bidder and every default sequencer runs {@code cortado
 * sequencer}'s service ({@link SequencerService}) in this JVM, each with its own key and rights read from L1.
 * Demo users look up who holds their rollups in the current window and send them their transactions: a swap
 * touching alpha and beta as one atomic group (one bundle when one sequencer holds both), and transfers on
 * gamma. In a window the story marks silent, users find the winner unresponsive: it pre-confirms nothing and
 * sends no bundles, until the nodes' silence rule hands its rollups to their default sequencers (read from the nodes'
 * status, {@link FallbackRights} fed by the rights the story reads from the nodes); users then send to those for the rest of the window.
 */
public final class DemoSequencing implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DemoMarket market;
    private final TxTracker tracker;
    private final L1Client l1;
    private final MarketplaceL1 marketL1;
    private final Supplier<StorySnapshot.NetworkRights> enforced;
    private final Map<String, SequencerService> services = new LinkedHashMap<>();
    private final Map<String, String> defaultSequencers = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile String lastRefusal = "";
    private final ScheduledExecutorService users = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "devnet-demo-users");
        t.setDaemon(true);
        return t;
    });

    private DemoSequencing(DemoMarket market, TxTracker tracker, L1Client l1, MarketplaceL1 marketL1,
            Supplier<StorySnapshot.NetworkRights> enforced) {
        this.market = market;
        this.enforced = enforced;
        this.tracker = tracker;
        this.l1 = l1;
        this.marketL1 = marketL1;
    }

    /**
     * Starts one sequencer service per demo bidder and default sequencer, then {@code swapsPerSec} demo users' swaps.
     * {@code enforced} is what the nodes report they enforce; a fallback is taken from there only.
     */
    public static DemoSequencing start(DemoMarket market, TxTracker tracker, String rpcUrl, long chainId, String marketplace,
            String stakeTable, List<Credentials> accounts, int bidderCount, List<URI> nodes, int confirmations, int swapsPerSec,
            Supplier<StorySnapshot.NetworkRights> enforced) throws IOException {
        L1Connector connector = L1Connector.load();
        L1Client l1 = connector.connect(rpcUrl, chainId);
        MarketplaceL1 marketL1 = connector.marketplace(rpcUrl, marketplace, stakeTable);
        DemoSequencing s = new DemoSequencing(market, tracker, l1, marketL1, enforced);
        try {
            List<Credentials> keys = new ArrayList<>();
            for (int i = 0; i < bidderCount; i++) keys.add(accounts.get(DemoMarket.FIRST_ACCOUNT + i));
            for (int i = 0; i < DemoMarket.ROLLUPS.size(); i++) {
                Credentials c = accounts.get(DemoMarket.DEFAULT_SEQUENCER_ACCOUNT + i);
                keys.add(c);
                s.defaultSequencers.put(DemoMarket.ROLLUPS.get(i).name(), c.getAddress().toLowerCase(Locale.ROOT));
            }
            for (Credentials c : keys) {
                Secp256k1.KeyPair key = Secp256k1.keyPair(c.getEcKeyPair().getPrivateKey());
                Sequencer sequencer = new Sequencer(key, chainId, Address.fromHex(marketplace), marketL1.clock(),
                        fallbackAware(new L1SequencerRights(l1, marketL1, key.address(), confirmations, 1_000), key.address(),
                                enforced), System::currentTimeMillis);
                s.services.put(c.getAddress().toLowerCase(Locale.ROOT),
                        SequencerService.start(sequencer, nodes, new InetSocketAddress("127.0.0.1", 0), 5));
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        if (swapsPerSec > 0) {
            long periodMs = 1_000L / swapsPerSec;
            s.users.scheduleWithFixedDelay(s::userStep, periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
        return s;
    }

    /**
     * A demo sequencer's rights: L1's, with the silence fallback taken from the rights the nodes report (which the
     * story polls anyway), so the demo's sequencers and {@code cortado sequencer} follow one rule.
     */
    static FallbackRights fallbackAware(L1SequencerRights onL1, Address self, Supplier<StorySnapshot.NetworkRights> enforced) {
        return new FallbackRights(onL1, onL1, self, (window, namespace, winner) -> {
            StorySnapshot.NetworkRights r = enforced.get();
            StorySnapshot.NamespaceRight n = r == null ? null : r.in(window, namespace);
            return n != null && n.fallback();
        });
    }

    /** Each sequencer service's URL by its demo name. */
    public Map<String, URI> serviceUrls() {
        Map<String, URI> out = new LinkedHashMap<>();
        services.forEach((address, svc) -> out.put(market.nameOf(address),
                URI.create("http://127.0.0.1:" + svc.address().getPort())));
        return out;
    }

    /** Bundles each sequencer has handed to a node, by demo name. */
    public Map<String, Long> bundlesSent() {
        Map<String, Long> out = new LinkedHashMap<>();
        services.forEach((address, svc) -> out.put(market.nameOf(address), svc.submittedBundles()));
        return out;
    }

    public long sent() {
        return sent.get();
    }

    /** Requests a silent winner left unanswered. */
    public long unanswered() {
        return unanswered.get();
    }

    public long refused() {
        return refused.get();
    }

    public String lastRefusal() {
        return lastRefusal;
    }

    private void userStep() {
        try {
            long n = sent.getAndIncrement();
            long w = market.schedule().windowOf(Math.max(0, market.slot()));
            if (n % 2 == 0) {
                byte[] sell = ("demo swap #" + n + ": sell 1 ETH on alpha").getBytes(StandardCharsets.UTF_8);
                byte[] buy = ("demo swap #" + n + ": buy 1 ETH on beta").getBytes(StandardCharsets.UTF_8);
                String a = holder(w, 0);
                String b = holder(w, 1);
                if (a.equals(b)) {
                    send(w, a, "swap", List.of(new Leg(0, sell), new Leg(1, buy)));
                } else {
                    // Two holders cannot promise the pair atomically: the user sends the legs separately.
                    send(w, a, "swap leg", List.of(new Leg(0, sell)));
                    send(w, b, "swap leg", List.of(new Leg(1, buy)));
                }
            } else {
                send(w, holder(w, 2), "transfer", List.of(new Leg(2, ("demo transfer #" + n + " on gamma").getBytes(StandardCharsets.UTF_8))));
            }
        } catch (RuntimeException e) {
            lastRefusal = String.valueOf(e.getMessage());
        }
    }

    private record Leg(int rollup, byte[] payload) {
    }

    /**
     * The holder the nodes name for the window (their rights after the decided tip: the winner, the default sequencer
     * while they have not yet seen the result at their depth, or after a fallback); before they speak of this window,
     * the holder L1 names once final, else the rollup's default sequencer.
     */
    private String holder(long window, int rollup) {
        StorySnapshot.NetworkRights nodes = enforced.get();
        StorySnapshot.NamespaceRight right = nodes == null ? null : nodes.in(window, DemoMarket.ROLLUPS.get(rollup).namespace());
        if (right != null) return right.holderAddress();
        DemoMarket.WindowRow row = market.window(window);
        if (row != null && row.holders().size() > rollup && !row.holders().get(rollup).holderAddress().matches("0x0{40}")) {
            return row.holders().get(rollup).holderAddress().toLowerCase(Locale.ROOT);
        }
        return defaultSequencers.get(DemoMarket.ROLLUPS.get(rollup).name());
    }

    private void send(long window, String holder, String kind, List<Leg> legs) {
        String holderName = market.nameOf(holder);
        if (market.silent(window) && DemoMarket.isBidder(holderName)) {
            unanswered.incrementAndGet(); // the winner is silent on purpose this window
            return;
        }
        SequencerService svc = services.get(holder);
        if (svc == null) {
            refused.incrementAndGet();
            lastRefusal = "no demo sequencer runs for " + holder;
            return;
        }
        StringBuilder body = new StringBuilder("{\"transactions\":[");
        for (int i = 0; i < legs.size(); i++) {
            if (i > 0) body.append(',');
            body.append("{\"namespace\":").append(DemoMarket.ROLLUPS.get(legs.get(i).rollup()).namespace())
                    .append(",\"payload\":\"0x").append(HexFormat.of().formatHex(legs.get(i).payload())).append("\"}");
        }
        body.append("]}");
        long t0 = System.currentTimeMillis();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + svc.address().getPort()
                    + "/v0/sequencer/submit")).timeout(Duration.ofSeconds(5)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            long ms = System.currentTimeMillis() - t0;
            if (r.statusCode() != 200) {
                refused.incrementAndGet();
                lastRefusal = holderName + " answered " + r.statusCode() + ": " + r.body();
                return;
            }
            JsonNode preconfs = JSON.readTree(r.body()).get("preconfirmations");
            for (int i = 0; i < legs.size() && preconfs != null && i < preconfs.size(); i++) {
                DemoMarket.DemoRollup rollup = DemoMarket.ROLLUPS.get(legs.get(i).rollup());
                tracker.preconfirmed(preconfs.get(i).get("txHash").stringValue(), rollup.name(), rollup.namespace(), kind,
                        holderName, t0, ms);
            }
        } catch (IOException e) {
            refused.incrementAndGet();
            lastRefusal = holderName + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        users.shutdownNow();
        try {
            users.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        services.values().forEach(SequencerService::close);
        try {
            marketL1.close();
        } catch (Exception e) {
            lastRefusal = "closing the marketplace reader: " + e.getMessage();
        }
        try {
            l1.close();
        } catch (Exception e) {
            lastRefusal = "closing the L1 client: " + e.getMessage();
        }
    }
}
