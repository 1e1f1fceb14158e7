package dev.cortado.devnet.sequencer;

import dev.cortado.node.runtime.CortadoNode;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.port.MarketClock;
import dev.cortado.settlement.port.SlotClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bundle-to-decide latency for {@code ./cortado bench sequencer}: the devnet's four nodes and broker
 * ({@link FixedMarketNetwork}: real sockets and RocksDB), each enforcing one marketplace window in which namespace 10 is
 * sold to the benchmark's sequencer, and {@code cortado sequencer}'s service sending its bundles to all four. A
 * client sends one transaction at a time and waits until node 0 has stored it as decided; the sample is the time
 * from the pre-confirmation's arrival to that decision (seal interval, submission, gossip, the next leader's block
 * and HotShot's decide rule).
 */
final class BundleDecideBench implements AutoCloseable {
    private static final long SILENCE_SLOTS = 8;
    private static final long POLL_NS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long DECIDE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FixedMarketNetwork network;
    private final SequencerService service;
    private final URI submit;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private int tag;

    private BundleDecideBench(FixedMarketNetwork network, SequencerService service) {
        this.network = network;
        this.service = service;
        this.submit = URI.create("http://127.0.0.1:" + service.address().getPort() + "/v0/sequencer/submit");
    }

    /** Starts the network and the sequencer; the window (12 s slots, 32 per window) starts now and outlasts a bench. */
    static BundleDecideBench start(Path dir, long sealMs) throws IOException {
        MarketClock clock = new MarketClock(new SlotClock(System.currentTimeMillis() / 1000, 12), 32, 3, 10);
        FixedMarketNetwork market = FixedMarketNetwork.start(dir, clock, Map.of(10L, SequencerServiceTest.OTHER.address()),
                Map.of(10L, SequencerServiceTest.WINNER.address()), SILENCE_SLOTS);
        try {
            Sequencer sequencer = new Sequencer(SequencerServiceTest.WINNER, SequencerServiceTest.CHAIN, SequencerServiceTest.MARKET,
                    clock, SequencerServiceTest.rightsOf(SequencerServiceTest.WINNER.address()), System::currentTimeMillis);
            SequencerService service = SequencerService.start(sequencer, market.apiUrls(), new InetSocketAddress("127.0.0.1", 0), sealMs);
            return new BundleDecideBench(market, service);
        } catch (IOException | RuntimeException e) {
            market.close();
            throw e;
        }
    }

    /** {@code samples} transactions one after another; the histogram holds microseconds. */
    Histogram measure(int samples) throws IOException, InterruptedException {
        Histogram h = new Histogram(3);
        CortadoNode node0 = network.node(0);
        for (int i = 0; i < samples; i++) {
            Bytes32 hash = preconfirm();
            long t0 = System.nanoTime();
            while (node0.store().txLocation(hash.bytes()).isEmpty()) {
                if (System.nanoTime() - t0 > DECIDE_TIMEOUT_NS) {
                    throw new IllegalStateException("transaction " + hash.toHex() + " not decided within 30 s; status "
                            + node0.metrics().proposals() + " proposals, height " + node0.height());
                }
                LockSupport.parkNanos(POLL_NS);
            }
            h.recordValue((System.nanoTime() - t0) / 1_000);
        }
        return h;
    }

    private Bytes32 preconfirm() throws IOException, InterruptedException {
        String payload = String.format("0x%08x", tag++);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(submit).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"transactions\": [{\"namespace\": 10, \"payload\": \"" + payload
                        + "\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("sequencer answered " + r.statusCode() + ": " + r.body());
        return Bytes32.fromHex(JSON.readTree(r.body()).get("preconfirmations").get(0).get("txHash").asString());
    }

    long bundlesSubmitted() {
        return service.submittedBundles();
    }

    @Override
    public void close() {
        service.close();
        network.close();
    }

    static List<String> describe() {
        return List.of("4 nodes and a broker as `cortado devnet` runs them (`DevnetNetwork`: 1 s base view timeout,",
                "100 ms empty-block delay, real sockets and RocksDB), every node enforcing a window that sells namespace 10",
                "to the sequencer; one transaction at a time, timed from its pre-confirmation until node 0 stores it decided.");
    }
}
