package dev.cortado.devnet.sequencer;

import dev.cortado.node.api.ApiBackend;
import dev.cortado.node.api.ApiSettings;
import dev.cortado.node.api.HttpApiServer;
import dev.cortado.node.l1.MarketAdmission;
import dev.cortado.node.l1.MarketAnswer;
import dev.cortado.node.l1.MarketState;
import dev.cortado.node.market.BundlePool;
import dev.cortado.node.market.MarketWindow;
import dev.cortado.node.mempool.SubmitResult;
import dev.cortado.protocol.block.NamespaceId;
import dev.cortado.protocol.block.NamespaceProof;
import dev.cortado.protocol.block.Transaction;
import dev.cortado.protocol.types.Address;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.settlement.port.MarketClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's real HTTP API ({@link HttpApiServer} with the real {@link MarketAdmission} and {@link BundlePool}) over a
 * chain whose decided transactions the test sets, and a marketplace state fixed to one window. The market follower
 * itself is tested on Anvil ({@code L1FollowerTest}); a decided height's bundle records are set with its transaction.
 */
final class FakeChainNode implements AutoCloseable {
    final BundlePool pool = new BundlePool(100_000, 100_000, 1L << 28);
    final Map<Bytes32, Map<String, Object>> decided = new ConcurrentHashMap<>();
    final Map<Long, Map<String, Object>> blocks = new ConcurrentHashMap<>();
    /** Per height, the block's bundle records (hex), served as its reserved namespace. */
    final Map<Long, java.util.List<String>> records = new ConcurrentHashMap<>();
    private final HttpApiServer server;
    final URI url;
    /** The window state this node has followed; a test moves it on as a node's L1 follower would. */
    volatile MarketWindow window;
    /** Bundles this node's admission refused, whatever the reason. */
    final java.util.concurrent.atomic.AtomicInteger bundlesRefused = new java.util.concurrent.atomic.AtomicInteger();

    FakeChainNode(long chainId, Address marketplace, MarketClock clock, MarketWindow initial) {
        this.window = initial;
        MarketState state = new MarketState() {
            @Override
            public long followedBlock() {
                return 10;
            }

            @Override
            public MarketAnswer windowAt(long w, long l1Block) {
                MarketWindow followed = window;
                return w == followed.window() ? new MarketAnswer.Known(followed, true)
                        : new MarketAnswer.Unavailable("window " + w + " is not tracked");
            }

            @Override
            public MarketClock clock() {
                return clock;
            }
        };
        server = new HttpApiServer(new Backend(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                ApiSettings.defaults(1 << 20));
        MarketAdmission admission = new MarketAdmission(state, chainId, marketplace, System::currentTimeMillis, pool);
        server.marketGate(new dev.cortado.node.api.MarketGate() {
            @Override
            public Optional<Refusal> refuseLoose(long namespace) {
                return admission.refuseLoose(namespace);
            }

            @Override
            public BundleResult submitBundle(byte[] body) {
                BundleResult r = admission.submitBundle(body);
                if (r instanceof BundleRefused) bundlesRefused.incrementAndGet();
                return r;
            }
        });
        url = URI.create("http://127.0.0.1:" + server.start("127.0.0.1", 0).getPort());
    }

    void decide(Bytes32 txHash, long height, long namespace, int index, long timestampMs,
                dev.cortado.protocol.market.BundleRecord... bundles) {
        records.put(height, java.util.Arrays.stream(bundles).map(b -> dev.cortado.protocol.types.Hex.encode(b.encode())).toList());
        decided.put(txHash, Map.of("height", height, "namespace", namespace, "index", index, "hash", txHash.toHex()));
        blocks.put(height, Map.of("height", height, "header", Map.of("timestampMs", timestampMs)));
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (!closed) server.close();
        closed = true;
    }

    private final class Backend implements ApiBackend {
        @Override
        public SubmitResult submit(long namespace, byte[] payload) {
            return new SubmitResult.Accepted(Bytes32.ZERO);
        }

        @Override
        public Object status() {
            return Map.of();
        }

        @Override
        public Optional<Object> block(long height, Optional<Long> certifiedHeight) {
            return Optional.ofNullable(blocks.get(height));
        }

        @Override
        public Optional<Object> lightClient(Optional<Long> height) {
            return Optional.empty();
        }

        @Override
        public Optional<NamespaceProof> namespace(long height, long namespace) {
            if (namespace != dev.cortado.protocol.market.BundleRecord.NAMESPACE || !records.containsKey(height)) {
                return Optional.empty();
            }
            NamespaceId ns = NamespaceId.of(namespace);
            // No table or path: the sequencer reads the records from decided blocks and does not verify this fake's proofs.
            return Optional.of(new NamespaceProof(ns, new byte[0], records.get(height).stream()
                    .map(h -> new Transaction(ns, dev.cortado.protocol.types.Hex.decode(h))).toList(), null));
        }

        @Override
        public Optional<Object> transaction(Bytes32 hash) {
            return Optional.ofNullable(decided.get(hash));
        }

        @Override
        public long latestHeight() {
            return blocks.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
        }

        @Override
        public long oldestHeight() {
            return 0;
        }

        @Override
        public void onDecided(Runnable listener) {
        }
    }
}
