package dev.cortado.node.runtime;

import dev.cortado.node.api.HttpApiServer;
import dev.cortado.node.cdn.NodeNetwork;
import dev.cortado.node.config.PeerEntry;
import dev.cortado.node.consensus.BlsConsensusCrypto;
import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.Epochs;
import dev.cortado.node.consensus.Input;
import dev.cortado.node.mempool.Mempool;
import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.BoundedInbox;
import dev.cortado.node.net.InboundSink;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.WireFormatException;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.protocol.stake.StakeTable;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: wires the network (direct mesh and CDN), RocksDB, the mempool and the HTTP API to two
 * drivers on one event thread fed by a bounded queue: {@link ConsensusDriver} for the consensus core and
 * {@link PipelineDriver} for the block pipeline ({@link BlockPipeline}). This class only routes events.
 */
public final class CortadoNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CortadoNode.class);
    private static final long TICK_MS = 250;
    /** How long a starting node waits for its first catch-up before joining consensus anyway. */
    private static final long STARTUP_SYNC_MS = 5_000;
    /** How long {@link #wipePayloads} waits for the event thread, which may be busy on a loaded machine. */
    private static final long WIPE_WAIT_MS = 30_000;

    final NodeSettings settings;
    final int me;
    final NodeStore store;
    final Mempool mempool;
    private final GossipIntake gossipIntake;
    final NodeMetrics metrics;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Misbehaviour misbehaviour = new Misbehaviour(registry);
    final DataAvailability da;
    final DaGate daGate;
    private final NodeClock clock;
    private final PeerLink peers;
    private final NodeCodec codec;
    private final BoundedInbox<NodeEvent> events;
    private final NodeNetwork network;
    private final ScheduledExecutorService timers;
    private final Gossip gossip;
    private final DecidedChain chain;
    private final ConsensusDriver consensus;
    private final PipelineDriver blocks;
    private final BlockCheckWorkers checks;
    private final CatchUp catchUp;
    private final LightClientCerts lightClient;
    private final HttpApiServer api;
    private final NodeApiBackend backend;
    private final Thread eventThread;
    /** Whether stake tables are read from L1 (so the follower moving may make a waiting table known). */
    private final boolean tablesFromL1;
    private volatile boolean running = true;
    private volatile BundleRelay relay;
    private InetSocketAddress p2pAddress;
    private InetSocketAddress apiAddress;

    public CortadoNode(NodeSettings settings) {
        this(settings, NodeClock.system());
    }

    /**
     * A node whose consensus runs stake-table epochs (issue 14): {@code epochs} lays out the epochs and gives each
     * later epoch's table over the universe of {@code settings.table()} (the table source must be the same, pure
     * function on every node); the genesis table certifies light-client states. {@link Epochs#NONE} is the
     * single-table network of the other constructor.
     */
    public CortadoNode(NodeSettings settings, Epochs epochs) {
        this(settings, epochs == Epochs.NONE ? NodeEpochs.NONE : new NodeEpochs.Fixed(epochs, Optional.empty()));
    }

    /** A node whose stake tables come from {@code epochs}, resolved once its store is open (see {@link NodeEpochs}). */
    public CortadoNode(NodeSettings settings, NodeEpochs epochs) {
        this(settings, NodeClock.system(), epochs);
    }

    CortadoNode(NodeSettings settings, NodeClock clock) {
        this(settings, clock, NodeEpochs.NONE);
    }

    CortadoNode(NodeSettings settings, NodeClock clock, NodeEpochs nodeEpochs) {
        this.settings = settings;
        this.clock = clock;
        NodeUniverse universe = NodeUniverse.of(settings.table());
        List<PeerKey> keys = universe.peerKeys();
        PeerKey self = BlsPeerCrypto.peerKey(settings.keys().publicKey());
        this.me = keys.indexOf(self);
        if (me < 0) {
            throw new IllegalArgumentException("this node's key " + self.shortHex() + " is not in the stake table (peers)");
        }
        if (universe.hasUnstaked() && nodeEpochs instanceof NodeEpochs.None) {
            throw new IllegalArgumentException("a peer without stake needs epochs: only a later epoch can give it stake");
        }
        StakeTable stakeTable = universe.genesis();
        this.store = new NodeStore(settings.dataDir(), settings.storeBudget());
        EpochWiring.Resolved resolved;
        try {
            resolved = EpochWiring.resolve(nodeEpochs, stakeTable, universe.keys(), store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        this.tablesFromL1 = resolved.fromL1();
        Epochs epochs = resolved.consensus();
        // With epochs a later table's quorum is not the genesis one: the certificate validators own the threshold.
        BlsConsensusCrypto crypto = epochs == Epochs.NONE ? new BlsConsensusCrypto(stakeTable)
                : BlsConsensusCrypto.overUniverse(universe.keys());
        this.mempool = new Mempool(settings.mempoolLimits(), new StoreDecidedIndex(store));
        this.codec = new NodeCodec(NodeCodec.Limits.forBlockBytes(settings.maxBlockBytes()));
        this.metrics = new NodeMetrics(registry);
        NodeMetrics.storeMemory(registry, store);
        this.events = new BoundedInbox<>(settings.inboxCapacity());
        this.gossipIntake = new GossipIntake(mempool, registry, "node-" + me + "-gossip-in",
                GossipIntake.SHED_ABOVE_BLOCKS * (long) settings.maxBlockBytes());
        this.network = NodeNetworks.create(settings, keys, universe.committee(), registry, InboundSink.into(events,
                        (from, payload) -> new NodeEvent.Net(from, payload, System.nanoTime())),
                batch -> gossipIntake.offer(batch), metrics.malformed::increment);
        network.fallBackAfterStallMs(2 * settings.baseTimeoutMs());
        this.peers = new PeerLink(me, keys, network, codec);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "node-" + me + "-timers"));
        this.gossip = new Gossip(network, codec, settings.maxBlockBytes());
        this.chain = new DecidedChain(settings, store, codec);
        VidSlots slots = new VidSlots(epochs, universe.weights());
        Blocks blockCodec = new Blocks(settings.chainId(), slots, me, mempool::knownHash);
        ConsensusConfig config = ConsensusConfig.defaults(settings.chainId(), universe.weights()).withTimeouts(settings.baseTimeoutMs(), settings.maxTimeoutMs())
                .withEpochs(epochs);
        this.consensus = new ConsensusDriver(settings, config, BlsConsensusCrypto.signer(me, settings.keys().secretKey()), crypto,
                store, peers, chain, metrics, clock, this::offerLater);
        this.blocks = new PipelineDriver(settings, peers, blockCodec, mempool, chain, consensus,
                new ProposalScreen(config, crypto), metrics, misbehaviour, clock, this::offerLater);
        this.catchUp = new CatchUp(settings, config, peers, store, chain, blockCodec, crypto, clock::monotonicMs, consensus);
        this.lightClient = new LightClientCerts(settings, peers, store, chain, resolved.lightClient(), misbehaviour);
        DaCommittees committees = DaCommittees.of(epochs, universe);
        this.da = new DataAvailability(settings, peers, store, committees, slots, registry);
        this.daGate = new DaGate(settings.chainId(), me, committees, slots, settings.keys(),
                new NodeDaPort(peers, blocks, consensus), registry, misbehaviour);
        this.backend = new NodeApiBackend(settings, mempool, gossip, chain, peers, store, lightClient, da, consensus);
        this.checks = new BlockCheckWorkers(BlockCheckWorkers.defaultThreads(), "node-" + me + "-block-check-", consensus::view,
                done -> offerLater(new NodeEvent.BlockChecked(done), 0L), registry, metrics.stages.blockCheck);
        blocks.connect(daGate, catchUp::request, checks);
        consensus.connect(blocks, daGate, catchUp::request);
        chain.addListener((leaf, b) -> {
            // The block is decided once persisted: its latency is taken before the light-client signature that follows.
            metrics.decided(b.txHashes().size(), b.header().payloadBytes(), backend.takeSubmitTimes(b.txHashes()));
            long signStartNanos = System.nanoTime();
            lightClient.onDecided(leaf.height().value(), leaf.view().value(), chain.commitments().rootFor(List.of()));
            StageMetrics.record(metrics.stages.lightClientSign, signStartNanos);
            long removeStartNanos = System.nanoTime();
            mempool.removeDecided(b.txHashes());
            StageMetrics.record(metrics.stages.mempoolRemoveDecided, removeStartNanos);
            // Only a node that keeps payloads would have read this one back from its store; others retrieve.
            if (settings.keepPayloads() && b instanceof KnownBlock.Full f) {
                backend.decided(leaf.height().value(), f.block().payload());
            }
            blocks.handle(new PipelineInput.Decided(leaf.height().value()));
            blocks.decided(b);
            catchUp.decided();
            backend.notifyDecided();
        });
        this.api = new HttpApiServer(backend, registry, settings.apiSettings());
        this.eventThread = new Thread(this::runLoop, "node-" + me + "-events");
    }

    /** Binds the p2p listener and the API, dials peers and brokers, and starts the event thread. */
    public void start() {
        p2pAddress = network.listen(settings.listen().getHostString(), settings.listen().getPort());
        apiAddress = api.start(settings.api().getHostString(), settings.api().getPort());
        Map<PeerKey, InetSocketAddress> dial = new HashMap<>();
        for (PeerEntry e : settings.table()) {
            if (!e.publicKey().equals(network.self())) {
                dial.put(e.publicKey(), NodeNetworks.resolve(e.address()));
            }
        }
        network.connect(dial);
        gossip.start(timers);
        gossipIntake.start();
        timers.scheduleAtFixedRate(() -> offerLater(new NodeEvent.Tick(), 0L), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        eventThread.start();
        LOG.info("node {} started: p2p {}, api {}, height {}", me, p2pAddress, apiAddress, height());
    }

    /**
     * Attaches an L1 follower (issue 11): this node's headers carry its followed block as l1Head, proposals are
     * checked against it with a lead of {@code maxL1LeadBlocks}, and blocks must keep the marketplace's rule as of
     * their l1Head. Without a call every header carries l1Head 0 and every namespace is open.
     */
    public void followL1(dev.cortado.node.l1.MarketState market, long maxL1LeadBlocks, long l1ChainId,
                         dev.cortado.protocol.types.Address marketplace) {
        followL1(market, maxL1LeadBlocks, l1ChainId, marketplace, BlockMarketCheck.DEFAULT_SILENCE_SLOTS);
    }

    /** As above, with the chain's silence rule: a winner silent for {@code silenceSlots} slots falls back. */
    public void followL1(dev.cortado.node.l1.MarketState market, long maxL1LeadBlocks, long l1ChainId,
                         dev.cortado.protocol.types.Address marketplace, long silenceSlots) {
        blocks.followL1(market, maxL1LeadBlocks, l1ChainId, marketplace, silenceSlots);
        // A proposal deferred on its l1Head is re-checked right after the follower moves, not at the next tick.
        market.onAdvance(() -> offerLater(new NodeEvent.L1Moved(), 0L));
    }

    /**
     * Bundles (issue 11): bundles admitted by {@code admission} are gossiped to every node (and those gossiped here
     * admitted the same way), and this node, as leader, builds from {@code pool}. Installs the gate on the API.
     */
    public void takeBundles(dev.cortado.node.api.MarketGate admission, dev.cortado.node.market.BundlePool pool) {
        BundleRelay r = new BundleRelay(admission, peers, settings.maxBlockBytes());
        r.start(timers);
        api.marketGate(r);
        blocks.takeBundles(pool);
        this.relay = r;
    }

    public InetSocketAddress p2pAddress() {
        return p2pAddress;
    }

    public InetSocketAddress apiAddress() {
        return apiAddress;
    }

    public int index() {
        return me;
    }

    public long height() {
        return chain.last().height().value();
    }

    public NodeStore store() {
        return store;
    }

    public NodeNetwork network() {
        return network;
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    /** The HTTP API server, so a node that follows L1 can install its market gate (issue 11). */
    public HttpApiServer apiServer() {
        return api;
    }

    public NodeApiBackend backend() {
        return backend;
    }

    /** Queues an event from any thread; if the queue is full, retries shortly (timers must not be lost). */
    private void offerLater(NodeEvent e, Long delayMs) {
        if (!running) {
            return;
        }
        Runnable attempt = () -> {
            if (running && !events.offer(e)) {
                offerLater(e, 5L);
            }
        };
        if (delayMs <= 0) {
            attempt.run();
        } else {
            timers.schedule(attempt, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void runLoop() {
        catchUp.request();
        long startDeadlineMs = clock.monotonicMs() + STARTUP_SYNC_MS;
        while (running) {
            try {
                // Join consensus only after fetching what we missed, so the core starts from the real tip.
                if (!consensus.started() && (catchUp.synced() || clock.monotonicMs() > startDeadlineMs)) {
                    consensus.start();
                }
                NodeEvent e = events.poll(50, TimeUnit.MILLISECONDS);
                if (e != null) {
                    handle(e);
                }
                consensus.drainLocal();
            } catch (InterruptedException stop) {
                return;
            } catch (RuntimeException bug) {
                LOG.error("node {} event thread: unexpected failure handling an event", me, bug);
                metrics.eventErrors.increment();
            }
        }
    }

    private void handle(NodeEvent e) {
        switch (e) {
            case NodeEvent.Net net -> {
                StageMetrics.record(metrics.stages.eventQueueWait, net.queuedAtNanos());
                onNet(net.from(), net.payload());
            }
            case NodeEvent.TimerFired t -> consensus.apply(new Input.Timeout(t.view()));
            case NodeEvent.BuildNow b -> blocks.build(b.view(), b.parent(), b.deadlineMs());
            case NodeEvent.BlockChecked c -> blocks.onChecked(c.done());
            case NodeEvent.Tick t -> {
                catchUp.tick();
                blocks.pollL1();
            }
            case NodeEvent.L1Moved m -> {
                blocks.pollL1();
                // The follower may now hold an epoch's snapshot block, so a handover waiting for its table can sign
                // and a DA certificate waiting for its epoch's committee can be checked.
                if (tablesFromL1) {
                    lightClient.retryDeferred();
                    daGate.retryWaiting();
                }
            }
            case NodeEvent.WipePayloads w -> {
                store.deleteAllPayloads();
                backend.forgetParsed();
                w.done().complete(null);
            }
        }
    }

    private void onNet(PeerKey fromKey, byte[] payload) {
        Integer from = peers.indexOf(fromKey);
        if (from == null) {
            return;
        }
        NodeMessage m;
        try {
            m = codec.decode(payload);
        } catch (WireFormatException e) {
            LOG.info("node {}: malformed message from {}: {}", me, from, e.getMessage());
            metrics.malformed.increment();
            return;
        }
        switch (m) {
            case NodeMessage.ProposalMsg p -> blocks.onProposal(from, p);
            case NodeMessage.ShareProposalMsg p -> blocks.onShareProposal(from, p);
            case NodeMessage.FetchBlock f -> blocks.serveFetchBlock(from, f);
            case NodeMessage.BlockReply r -> blocks.onBlockReply(r);
            case NodeMessage.VoteMsg v -> consensus.apply(new Input.VoteReceived(from, v.vote()));
            case NodeMessage.TimeoutVoteMsg t -> consensus.apply(new Input.TimeoutVoteReceived(from, t.vote()));
            case NodeMessage.FetchLeaves f -> consensus.serveLeaves(from, f);
            case NodeMessage.LeavesReply l -> consensus.apply(new Input.LeavesReceived(from, l.leaves()));
            case NodeMessage.TxBatch b -> gossipIntake.submit(b);
            case NodeMessage.BlocksRequest r -> catchUp.serve(from, r);
            case NodeMessage.BlocksReply r -> catchUp.onReply(from, r);
            case NodeMessage.LcSignature s -> lightClient.onSignature(from, s);
            case NodeMessage.PayloadRequest r -> da.onPayloadRequest(from, r);
            case NodeMessage.PayloadReply r -> da.onPayloadReply(from, r);
            case NodeMessage.ShareRequest r -> da.onShareRequest(from, r);
            case NodeMessage.ShareReply r -> da.onShareReply(from, r);
            case NodeMessage.DaVoteMsg v -> daGate.onDaVote(from, v);
            case NodeMessage.DaCertMsg c -> daGate.onDaCert(from, c);
            case NodeMessage.HandoverProofMsg h -> consensus.onHandoverProof(from, h);
            case NodeMessage.HandoverProofRequest h -> consensus.onHandoverProofRequest(from, h);
            case NodeMessage.SuffixProposalMsg p -> blocks.onSuffixProposal(from, p);
            case NodeMessage.BundleGossip g -> {
                BundleRelay r = relay;
                if (r != null) {
                    r.onGossip(g);
                }
            }
        }
    }

    /**
     * Test hook: forgets every stored payload and the API's parsed copies, so reads must fetch or rebuild them. It
     * runs on the event thread, between two events: a decide's effects are visible to other threads (its transaction
     * index) before its listener has cached the payload for readers, so a wipe from the caller's thread could land in
     * between and the cache would hand the wiped payload back.
     */
    void wipePayloads() {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        offerLater(new NodeEvent.WipePayloads(done), 0L);
        try {
            done.get(WIPE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("node " + me + ": payloads not wiped within " + WIPE_WAIT_MS + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("node " + me + ": interrupted while wiping payloads", e);
        }
    }

    @Override
    public void close() {
        running = false;
        eventThread.interrupt();
        try {
            eventThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        checks.close();
        gossipIntake.close();
        api.close();
        network.close();
        store.close();
    }
}
