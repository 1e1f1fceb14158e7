package dev.cortado.node.runtime;

import dev.cortado.node.api.HttpApiServer;
import dev.cortado.node.cdn.BrokerEndpoint;
import dev.cortado.node.cdn.NodeNetwork;
import dev.cortado.node.cdn.Topic;
import dev.cortado.node.config.PeerEntry;
import dev.cortado.node.consensus.BlsConsensusCrypto;
import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.ConsensusCore;
import dev.cortado.node.consensus.ConsensusSigner;
import dev.cortado.node.consensus.Effect;
import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.Proposal;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.SafetyState;
import dev.cortado.node.consensus.StakeWeights;
import dev.cortado.node.consensus.Verdict;
import dev.cortado.node.mempool.Mempool;
import dev.cortado.node.mempool.PendingTx;
import dev.cortado.node.net.BlsPeerCrypto;
import dev.cortado.node.net.BoundedInbox;
import dev.cortado.node.net.InboundSink;
import dev.cortado.node.net.PeerKey;
import dev.cortado.node.net.Transport;
import dev.cortado.node.net.TransportSettings;
import dev.cortado.node.net.WireFormatException;
import dev.cortado.node.net.WireReader;
import dev.cortado.node.net.WireWriter;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.protocol.crypto.BlsPublicKey;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: the consensus core driven from one event thread fed by a bounded queue, with the
 * network (direct mesh and CDN), RocksDB storage, the mempool, block building and the HTTP API
 * around it. Every core effect is carried out in order; {@link Effect.PersistSafety} is fsynced
 * before the vote that follows it is handed to the network.
 */
public final class CortadoNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CortadoNode.class);
    private static final int MAX_JUSTIFIES = 4096;
    private static final long TICK_MS = 250;
    private static final long BUILD_POLL_MS = 2;
    /** How long a starting node waits for its first catch-up before joining consensus anyway. */
    private static final long STARTUP_SYNC_MS = 5_000;

    final NodeSettings settings;
    final int me;
    final List<PeerKey> peerKeys;
    final Map<PeerKey, Integer> indexOf = new HashMap<>();
    final NodeStore store;
    final Mempool mempool;
    final NodeCodec codec;
    final Blocks blocks;
    final ChainCommitments commitments;
    final NodeMetrics metrics;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final BoundedInbox<NodeEvent> events;
    private final NodeNetwork network;
    private final ConsensusConfig consensusConfig;
    final dev.cortado.protocol.stake.StakeTable stakeTable;
    final BlsConsensusCrypto crypto;
    private final ConsensusSigner signer;
    private final ScheduledExecutorService timers;
    private final Gossip gossip;
    final CatchUp catchUp;
    final LightClientCerts lightClient;
    final DataAvailability da;
    final DaGate daGate;
    private final HttpApiServer api;
    private final NodeApiBackend backend;
    private final ArrayDeque<Input> local = new ArrayDeque<>();
    /** Blocks built or received and checked, by header commitment, until decided. */
    final PendingBlocks pendingBlocks = new PendingBlocks();
    final Misbehaviour misbehaviour = new Misbehaviour(registry);
    private final ProposalScreen screen;
    /** Justify QC of each proposal seen, by the leaf commitment it certifies. */
    private final Map<Bytes32, QuorumCertificate> justifies = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes32, QuorumCertificate> eldest) {
            return size() > MAX_JUSTIFIES;
        }
    };
    private final long startNanos = System.nanoTime();
    /** Blocks of undecided ancestors we lack, by block commitment, with the leaf that commits to each. */
    private final Map<Bytes32, Leaf> wantedBlocks = new LinkedHashMap<>();
    private final Map<Bytes32, Long> wantedAskedAtMs = new HashMap<>();
    /** Proposals we could not vote for only because an ancestor's block was missing; retried on arrival. */
    private final ArrayDeque<NodeMessage.ProposalMsg> waitingForAncestors = new ArrayDeque<>();
    /** Leaves of undecided ancestors seen while walking chains, by block commitment (bounded). */
    private final Map<Bytes32, Leaf> ancestorLeaves = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes32, Leaf> eldest) {
            return size() > 1024;
        }
    };
    private final Thread eventThread;
    ConsensusCore core;
    volatile Leaf lastDecided;
    volatile long viewNow;
    volatile int leaderNow;
    private volatile boolean running = true;
    boolean coreStarted;
    private InetSocketAddress p2pAddress;
    private InetSocketAddress apiAddress;

    public CortadoNode(NodeSettings settings) {
        this.settings = settings;
        List<BlsPublicKey> tableKeys = new ArrayList<>();
        List<PeerKey> keys = new ArrayList<>();
        long[] stakes = new long[settings.table().size()];
        Set<PeerKey> da = new HashSet<>();
        for (int i = 0; i < settings.table().size(); i++) {
            PeerEntry e = settings.table().get(i);
            keys.add(e.publicKey());
            indexOf.put(e.publicKey(), i);
            tableKeys.add(BlsPublicKey.fromBytes(e.publicKey().bytes()));
            stakes[i] = e.stakeGwei();
            if (e.da()) {
                da.add(e.publicKey());
            }
        }
        this.peerKeys = List.copyOf(keys);
        PeerKey self = BlsPeerCrypto.peerKey(settings.keys().publicKey());
        Integer index = indexOf.get(self);
        if (index == null) {
            throw new IllegalArgumentException("this node's key " + self.shortHex() + " is not in the stake table (peers)");
        }
        this.me = index;
        this.store = new NodeStore(settings.dataDir());
        this.mempool = new Mempool(settings.mempoolLimits(), h -> store.txLocation(h.bytes()).isPresent());
        this.codec = new NodeCodec(NodeCodec.Limits.forBlockBytes(settings.maxBlockBytes()));
        this.blocks = new Blocks(settings.chainId(), settings.table().size(), me);
        this.commitments = new ChainCommitments(store.headerCommitments().stream().map(Bytes32::of).toList());
        this.metrics = new NodeMetrics(registry);
        this.events = new BoundedInbox<>(settings.inboxCapacity());
        this.consensusConfig = ConsensusConfig.defaults(settings.chainId(), new StakeWeights(stakes))
                .withTimeouts(settings.baseTimeoutMs(), settings.maxTimeoutMs());
        List<dev.cortado.protocol.stake.StakeEntry> entries = new ArrayList<>();
        for (int i = 0; i < settings.table().size(); i++) {
            entries.add(new dev.cortado.protocol.stake.StakeEntry(tableKeys.get(i), stakes[i], settings.table().get(i).da()));
        }
        this.stakeTable = dev.cortado.protocol.stake.StakeTable.of(entries);
        this.crypto = new BlsConsensusCrypto(stakeTable);
        this.signer = BlsConsensusCrypto.signer(me, settings.keys().secretKey());

        TransportSettings base = TransportSettings.defaults(TransportSettings.chainIdWord(settings.chainId()));
        TransportSettings ts = new TransportSettings(base.chainId(), settings.maxFrameBytes(), base.handshakeTimeoutMs(),
                base.writeHighWaterBytes(), base.maxPendingWriteBytes(), base.keepAliveMs(), base.silentPeerMs());
        Transport transport = new Transport(ts, new BlsPeerCrypto(settings.keys()), registry, 2);
        List<BrokerEndpoint> brokers = settings.brokers().stream()
                .map(b -> new BrokerEndpoint(b.publicKey(), resolve(b.address()))).toList();
        InboundSink queue = InboundSink.into(events, NodeEvent.Net::new);
        // Gossiped transactions go straight into the (thread-safe) mempool on the I/O threads, so their
        // hashing is spread over those threads instead of queueing behind consensus on the event thread.
        InboundSink sink = new InboundSink() {
            @Override
            public boolean offer(PeerKey from, byte[] payload) {
                if (payload.length > 0 && payload[0] == NodeCodec.TX_BATCH) {
                    onTxBatch(payload);
                    return true;
                }
                return queue.offer(from, payload);
            }

            @Override
            public void whenSpace(Runnable wake) {
                queue.whenSpace(wake);
            }
        };
        this.network = new NodeNetwork(transport, Set.copyOf(keys), da, brokers, settings.useBrokers(), sink, registry);

        this.lastDecided = loadLastDecided();
        this.core = newCore();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "node-" + me + "-timers"));
        this.gossip = new Gossip(network, codec, settings.maxBlockBytes());
        this.catchUp = new CatchUp(this);
        this.lightClient = new LightClientCerts(this, stakeTable);
        this.da = new DataAvailability(this);
        this.daGate = new DaGate(settings.chainId(), me, lightClient.table(), settings.keys(), new NodeDaPort(), registry,
                misbehaviour);
        this.screen = new ProposalScreen(settings.chainId(), consensusConfig.stakes(), crypto);
        this.backend = new NodeApiBackend(this);
        this.api = new HttpApiServer(backend, registry, settings.apiSettings());
        this.eventThread = new Thread(this::runLoop, "node-" + me + "-events");
    }

    private static InetSocketAddress resolve(InetSocketAddress a) {
        return a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a;
    }

    private Leaf loadLastDecided() {
        long h = store.latestHeight();
        if (h < 0) {
            return Leaf.genesis(settings.chainId());
        }
        return NodeCodec.leaf(new WireReader(store.decided(h).orElseThrow().leaf()));
    }

    private ConsensusCore newCore() {
        SafetyState safety = store.readSafety().map(s -> decodeSafety(s.coreState()))
                .orElse(SafetyState.initial(settings.chainId()));
        return new ConsensusCore(consensusConfig, signer, crypto, safety, lastDecided);
    }

    /** Binds the p2p listener and the API, dials peers and brokers, and starts the event thread. */
    public void start() {
        p2pAddress = network.listen(settings.listen().getHostString(), settings.listen().getPort());
        apiAddress = api.start(settings.api().getHostString(), settings.api().getPort());
        Map<PeerKey, InetSocketAddress> peers = new HashMap<>();
        for (PeerEntry e : settings.table()) {
            if (!e.publicKey().equals(network.self())) {
                peers.put(e.publicKey(), resolve(e.address()));
            }
        }
        network.connect(peers);
        gossip.start(timers);
        timers.scheduleAtFixedRate(() -> offerLater(new NodeEvent.Tick(), 0), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        eventThread.start();
        LOG.info("node {} started: p2p {}, api {}, height {}", me, p2pAddress, apiAddress, lastDecided.height().value());
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
        return lastDecided.height().value();
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

    long nowMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Queues an event from a non-event thread; if the queue is full, retries shortly (timers must not be lost). */
    private void offerLater(NodeEvent e, long delayMs) {
        if (!running) {
            return;
        }
        Runnable attempt = () -> {
            if (running && !events.offer(e)) {
                offerLater(e, 5);
            }
        };
        if (delayMs <= 0) {
            attempt.run();
        } else {
            timers.schedule(attempt, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    // ---------------------------------------------------------------- event thread

    private void runLoop() {
        catchUp.request();
        long startDeadlineMs = nowMs() + STARTUP_SYNC_MS;
        boolean started = false;
        while (running) {
            try {
                if (!started && (catchUp.synced() || nowMs() > startDeadlineMs)) {
                    // Join consensus only after fetching what we missed, so the core starts from the real tip.
                    if (core.lastDecided().height().value() < lastDecided.height().value()) {
                        core = newCore();
                    }
                    apply(new Input.Start());
                    started = true;
                    coreStarted = true;
                }
                NodeEvent e = events.poll(50, TimeUnit.MILLISECONDS);
                if (e != null) {
                    handle(e);
                }
                drainLocal();
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
            case NodeEvent.Net n -> onNet(n.from(), n.payload());
            case NodeEvent.TimerFired t -> apply(new Input.Timeout(t.view()));
            case NodeEvent.BuildNow b -> buildBlock(b.view(), b.parent(), b.deadlineMs());
            case NodeEvent.Tick t -> catchUp.tick();
        }
    }

    void enqueueLocal(Input input) {
        local.add(input);
    }

    private void drainLocal() {
        Input in;
        while ((in = local.poll()) != null) {
            apply(in);
        }
    }

    void apply(Input input) {
        List<Effect> effects = core.handle(input, nowMs());
        for (Effect effect : effects) {
            execute(effect);
        }
        viewNow = core.currentView().value();
        leaderNow = core.leaderOf(core.currentView());
        pendingBlocks.viewIs(viewNow);
        daGate.viewIs(viewNow);
    }

    private void execute(Effect effect) {
        switch (effect) {
            case Effect.PersistSafety p -> store.writeSafety(new dev.cortado.node.storage.SafetyState(
                    p.state().highestVotedView().value(), encodeSafety(p.state())));
            case Effect.BroadcastProposal p -> {
                Blocks.Block b = pendingBlocks.get(p.proposal().leaf().blockCommitment());
                if (b == null) {
                    LOG.error("node {}: no block data for own proposal in {}", me, p.proposal().leaf().view());
                    return;
                }
                daGate.disperse(p.proposal(), b);
                metrics.proposals.increment();
            }
            case Effect.SendVote v -> {
                store.recordVote(new NodeStore.VoteRecord(v.vote().view().value(), NodeStore.VoteRecord.QUORUM,
                        v.vote().leafCommitment().bytes()));
                if (v.to() == me) {
                    enqueueLocal(new Input.VoteReceived(me, v.vote()));
                } else {
                    network.send(peerKeys.get(v.to()), codec.encode(new NodeMessage.VoteMsg(v.vote())));
                }
            }
            case Effect.BroadcastTimeoutVote t -> {
                store.recordVote(new NodeStore.VoteRecord(t.vote().view().value(), NodeStore.VoteRecord.TIMEOUT, new byte[32]));
                network.broadcast(Topic.ALL, codec.encode(new NodeMessage.TimeoutVoteMsg(t.vote())));
            }
            case Effect.ScheduleTimeout s -> offerLater(new NodeEvent.TimerFired(s.view()), Math.max(1, s.atMs() - nowMs()));
            case Effect.BuildBlock b -> buildBlock(b.view(), b.parent(), nowMs() + settings.emptyBlockDelayMs());
            case Effect.FetchLeaves f -> network.send(peerKeys.get(f.peer()), codec.encode(new NodeMessage.FetchLeaves(f.commitment(), 64)));
            case Effect.Decide d -> onDecide(d);
            case Effect.ReportEquivocation r -> {
                LOG.warn("node {}: equivocation by {} in {}", me, r.evidence().offender(), r.evidence().view());
                metrics.equivocations.increment();
            }
            case Effect.EnteredView v -> LOG.debug("node {} entered {} (leader {}): {}", me, v.view(), v.leader(), v.reason());
            case Effect.LogVerdict v -> {
                if (v.verdict() instanceof Verdict.Reject r) {
                    LOG.info("node {}: rejected {} from {} in {}: {}", me, v.input(), v.from(), v.view(), r.reason());
                    metrics.rejected.increment();
                }
            }
        }
    }

    // ---------------------------------------------------------------- messages

    private void onNet(PeerKey fromKey, byte[] payload) {
        Integer from = indexOf.get(fromKey);
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
            case NodeMessage.ProposalMsg p -> onProposal(from, p);
            case NodeMessage.VoteMsg v -> apply(new Input.VoteReceived(from, v.vote()));
            case NodeMessage.TimeoutVoteMsg t -> apply(new Input.TimeoutVoteReceived(from, t.vote()));
            case NodeMessage.TxBatch b -> onTxBatch(b);
            case NodeMessage.FetchLeaves f -> serveLeaves(from, f);
            case NodeMessage.LeavesReply l -> apply(new Input.LeavesReceived(from, l.leaves()));
            case NodeMessage.BlocksRequest r -> catchUp.serve(from, r);
            case NodeMessage.BlocksReply r -> catchUp.onReply(from, r);
            case NodeMessage.LcSignature s -> lightClient.onSignature(from, s);
            case NodeMessage.FetchBlock f -> {
                Blocks.Block b = pendingBlocks.get(f.blockCommitment());
                if (b != null) {
                    network.send(peerKeys.get(from), codec.encode(new NodeMessage.BlockReply(b.data())));
                }
            }
            case NodeMessage.BlockReply r -> onBlockReply(r);
            case NodeMessage.PayloadRequest r -> da.onPayloadRequest(from, r);
            case NodeMessage.PayloadReply r -> da.onPayloadReply(from, r);
            case NodeMessage.ShareRequest r -> da.onShareRequest(from, r);
            case NodeMessage.ShareReply r -> da.onShareReply(from, r);
            case NodeMessage.ShareProposalMsg p -> onShareProposal(from, p);
            case NodeMessage.DaVoteMsg v -> daGate.onDaVote(from, v);
            case NodeMessage.DaCertMsg c -> daGate.onDaCert(from, c);
        }
    }

    private void onTxBatch(byte[] payload) {
        try {
            if (codec.decode(payload) instanceof NodeMessage.TxBatch b) {
                onTxBatch(b);
            }
        } catch (WireFormatException e) {
            metrics.malformed.increment();
        }
    }

    private void onTxBatch(NodeMessage.TxBatch b) {
        long now = System.nanoTime();
        for (NodeMessage.Tx tx : b.txs()) {
            mempool.submit(tx.namespace(), tx.payload(), now);
        }
    }

    private void onBlockReply(NodeMessage.BlockReply r) {
        Bytes32 commitment;
        try {
            commitment = dev.cortado.protocol.block.BlockHeader.decode(r.block().header()).commitment(settings.chainId());
        } catch (IllegalArgumentException e) {
            return;
        }
        Leaf leaf = wantedBlocks.get(commitment);
        if (leaf == null) {
            return;
        }
        try {
            pendingBlocks.put(blocks.check(r.block(), leaf));
            wantedBlocks.remove(commitment);
            wantedAskedAtMs.remove(commitment);
        } catch (BlockRejected e) {
            LOG.info("node {}: fetched block {} refused: {}", me, commitment, e.getMessage());
            return;
        }
        // Re-examine proposals that were waiting only for this.
        int n = waitingForAncestors.size();
        for (int i = 0; i < n; i++) {
            NodeMessage.ProposalMsg p = waitingForAncestors.poll();
            Blocks.Block b = pendingBlocks.get(p.proposal().leaf().blockCommitment());
            if (b == null || core.currentView().value() > p.proposal().leaf().view().value()) {
                continue;
            }
            try {
                checkContext(b, p.proposal().leaf());
                daGate.blockChecked(p.proposal(), b);
            } catch (BlockRejected e) {
                if (e.getMessage().startsWith(MISSING_ANCESTOR)) {
                    waitingForAncestors.add(p);
                }
            }
        }
    }

    /** Asks every peer for a missing ancestor block, at most every 200 ms per block. */
    private void want(Leaf leaf) {
        Bytes32 c = leaf.blockCommitment();
        wantedBlocks.put(c, leaf);
        if (wantedBlocks.size() > 256) {
            Bytes32 eldest = wantedBlocks.keySet().iterator().next();
            wantedBlocks.remove(eldest);
            wantedAskedAtMs.remove(eldest);
        }
        long now = nowMs();
        Long asked = wantedAskedAtMs.get(c);
        if (asked == null || now - asked >= 200) {
            wantedAskedAtMs.put(c, now);
            network.broadcast(Topic.ALL, codec.encode(new NodeMessage.FetchBlock(c)));
        }
    }

    /**
     * Runs the cheap checks before any block work: a dropped proposal goes no further, one outside the
     * window goes to the core without its block, and only {@code CheckBlock} lets the caller check it.
     */
    private ProposalScreen.Outcome screen(int from, Proposal p) {
        ProposalScreen.Outcome outcome = screen.screen(from, p, viewNow, commitments.size());
        switch (outcome) {
            case ProposalScreen.Outcome.Drop d -> {
                LOG.info("node {}: dropped a proposal of {} from {}: {}", me, p.leaf().view(), from, d.reason());
                misbehaviour.count(d.kind());
            }
            case ProposalScreen.Outcome.CoreOnly c -> {
                justifies.put(p.justifyQc().leafCommitment(), p.justifyQc());
                if (c.secondBlock()) {
                    misbehaviour.count(Misbehaviour.Kind.PROPOSAL_SECOND_BLOCK);
                }
                apply(new Input.ProposalReceived(from, p));
                if (p.leaf().height().value() > commitments.size() + 2) {
                    catchUp.request();
                }
            }
            case ProposalScreen.Outcome.CheckBlock k -> justifies.put(p.justifyQc().leafCommitment(), p.justifyQc());
        }
        return outcome;
    }

    private void onProposal(int from, NodeMessage.ProposalMsg msg) {
        Proposal p = msg.proposal();
        if (!(screen(from, p) instanceof ProposalScreen.Outcome.CheckBlock)) {
            return;
        }
        Blocks.Block block = null;
        try {
            block = blocks.check(msg.block(), p.leaf());
            // Known even if we will not vote for it: its transactions count as in flight if it is built on.
            pendingBlocks.put(block);
            checkContext(block, p.leaf());
        } catch (BlockRejected e) {
            if (block != null && e.getMessage().startsWith(MISSING_ANCESTOR)) {
                waitingForAncestors.add(msg);
                if (waitingForAncestors.size() > 8) {
                    waitingForAncestors.poll();
                }
            } else {
                LOG.info("node {}: not voting for the block of {} from {}: {}", me, p.leaf().view(), from, e.getMessage());
                metrics.blocksRejected.increment();
            }
            block = null;
        }
        apply(new Input.ProposalReceived(from, p));
        if (block != null) {
            daGate.blockChecked(p, block);
        }
        if (p.leaf().height().value() > commitments.size() + 2) {
            catchUp.request();
        }
    }

    /**
     * A proposal outside the DA committee: only the header and this node's VID share come with it.
     * The header is checked as far as it can be without the payload; the transactions' exactly-once
     * check is the committee's, which reviews the payload before it signs the DA certificate.
     */
    private void onShareProposal(int from, NodeMessage.ShareProposalMsg msg) {
        Proposal p = msg.proposal();
        if (!(screen(from, p) instanceof ProposalScreen.Outcome.CheckBlock)) {
            return;
        }
        dev.cortado.protocol.block.BlockHeader header = null;
        dev.cortado.node.da.StoredShare share = null;
        String problem = null;
        try {
            header = dev.cortado.protocol.block.BlockHeader.decode(msg.header());
            share = dev.cortado.node.da.StoredShare.decode(msg.share());
            if (!header.commitment(settings.chainId()).equals(p.leaf().blockCommitment())
                    || header.height().value() != p.leaf().height().value() || header.view().value() != p.leaf().view().value()) {
                problem = "header does not match the proposed leaf";
            } else if (!dev.cortado.protocol.codec.Keccak.hash(msg.nsTable()).equals(header.nsTableComm())) {
                problem = "namespace table does not match the header";
            } else {
                checkHeaderContext(header, p.leaf());
            }
        } catch (IllegalArgumentException e) {
            problem = "malformed header or share: " + e.getMessage();
        } catch (BlockRejected e) {
            problem = e.getMessage();
        }
        apply(new Input.ProposalReceived(from, p));
        if (problem == null) {
            problem = daGate.shareChecked(p.leaf(), header, share).orElse(null);
            if (problem == null) {
                daGate.sharesAccepted.increment();
            }
        }
        if (problem != null) {
            LOG.info("node {}: not voting for the share proposal of {} from {}: {}", me, p.leaf().view(), from, problem);
            metrics.blocksRejected.increment();
        }
        if (p.leaf().height().value() > commitments.size() + 2) {
            catchUp.request();
        }
    }

    /** {@link DaGate}'s view of this node. */
    private final class NodeDaPort implements DaPort {
        @Override
        public void send(int peer, NodeMessage message) {
            network.send(peerKeys.get(peer), codec.encode(message));
        }

        @Override
        public void broadcastCommittee(NodeMessage message) {
            network.broadcast(Topic.DA_COMMITTEE, codec.encode(message));
        }

        @Override
        public void broadcastAll(NodeMessage message) {
            network.broadcast(Topic.ALL, codec.encode(message));
        }

        @Override
        public void dataAvailable(View view, Bytes32 blockCommitment) {
            enqueueLocal(new Input.DataAvailable(view, blockCommitment));
        }

        @Override
        public boolean hasBlock(Bytes32 blockCommitment) {
            return pendingBlocks.contains(blockCommitment);
        }

        @Override
        public void fetchBlock(Leaf leaf, int member) {
            fetchBlockFrom(leaf, member);
        }
    }

    /** Asks one peer for a block's full data (a DA member, once the block is certified available). */
    void fetchBlockFrom(Leaf leaf, int peer) {
        Bytes32 c = leaf.blockCommitment();
        wantedBlocks.put(c, leaf);
        wantedAskedAtMs.put(c, nowMs());
        network.send(peerKeys.get(peer), codec.encode(new NodeMessage.FetchBlock(c)));
    }

    /** The block must extend its parent's header and commit to every header before it. */
    private void checkContext(Blocks.Block block, Leaf leaf) throws BlockRejected {
        List<Bytes32> ancestors = checkHeaderContext(block.header(), leaf);
        // Exactly once: nothing already decided or carried by an undecided ancestor, and no repeats.
        Set<Bytes32> inFlight = inFlightTransactions(ancestors);
        Set<Bytes32> inBlock = new HashSet<>();
        for (Bytes32 h : block.txHashes()) {
            if (!inBlock.add(h) || inFlight.contains(h) || store.txLocation(h.bytes()).isPresent()) {
                throw new BlockRejected("transaction " + h + " is repeated, in flight or already decided");
            }
        }
    }

    /** Parent linkage, timestamp and blockCommRoot of a proposed header; returns its undecided ancestors. */
    private List<Bytes32> checkHeaderContext(dev.cortado.protocol.block.BlockHeader header, Leaf leaf) throws BlockRejected {
        Leaf parent = core.knownLeaf(leaf.parentCommitment());
        if (parent == null) {
            throw new BlockRejected("parent leaf unknown");
        }
        if (!header.parent().equals(parent.blockCommitment())) {
            throw new BlockRejected("header parent " + header.parent() + " is not the parent's block " + parent.blockCommitment());
        }
        long parentTs = parentTimestamp(parent);
        long ts = header.timestampMs();
        if (ts < parentTs || ts > System.currentTimeMillis() + 5_000) {
            throw new BlockRejected("timestamp " + ts + " before the parent's " + parentTs + " or too far ahead");
        }
        List<Bytes32> ancestors = pendingAncestorCommitments(parent);
        Bytes32 expected = commitments.rootFor(ancestors);
        if (!header.blockCommRoot().equals(expected)) {
            throw new BlockRejected("blockCommRoot " + header.blockCommRoot() + ", expected " + expected);
        }
        return ancestors;
    }

    private static final String MISSING_ANCESTOR = "missing ancestor block";

    /**
     * Hashes carried by the given undecided ancestors. If one of their blocks is unknown here it is
     * requested from peers and this fails: the caller retries when it arrives.
     */
    private Set<Bytes32> inFlightTransactions(List<Bytes32> ancestors) throws BlockRejected {
        Set<Bytes32> inFlight = new HashSet<>();
        for (Bytes32 c : ancestors) {
            Blocks.Block b = pendingBlocks.get(c);
            if (b == null) {
                Leaf leaf = ancestorLeaves.get(c);
                if (leaf != null) {
                    want(leaf);
                }
                throw new BlockRejected(MISSING_ANCESTOR + " " + c);
            }
            inFlight.addAll(b.txHashes());
        }
        return inFlight;
    }

    private long parentTimestamp(Leaf parent) {
        Blocks.Block b = pendingBlocks.get(parent.blockCommitment());
        if (b != null) {
            return b.header().timestampMs();
        }
        long h = parent.height().value();
        return h == 0 ? 0 : store.decided(h).map(d -> dev.cortado.protocol.block.BlockHeader.decode(d.header()).timestampMs())
                .orElse(0L);
    }

    /** Header commitments of undecided ancestors from the decided tip up to {@code parent}, ascending. */
    private List<Bytes32> pendingAncestorCommitments(Leaf parent) throws BlockRejected {
        List<Bytes32> out = new ArrayList<>();
        Leaf l = parent;
        while (l.height().value() >= commitments.size()) {
            out.add(l.blockCommitment());
            ancestorLeaves.put(l.blockCommitment(), l);
            l = core.knownLeaf(l.parentCommitment());
            if (l == null) {
                throw new BlockRejected("an undecided ancestor is unknown");
            }
        }
        if (l.height().value() != commitments.size() - 1 || !l.blockCommitment().equals(commitments.tip())) {
            throw new BlockRejected("block does not extend the decided chain");
        }
        java.util.Collections.reverse(out);
        return out;
    }

    private void serveLeaves(int from, NodeMessage.FetchLeaves f) {
        List<Leaf> out = new ArrayList<>();
        Leaf l = core.knownLeaf(f.commitment());
        while (l != null && out.size() < Math.min(f.max(), 256)) {
            out.add(l);
            l = l.height().value() == 0 ? null : core.knownLeaf(l.parentCommitment());
        }
        if (!out.isEmpty()) {
            network.send(peerKeys.get(from), codec.encode(new NodeMessage.LeavesReply(out)));
        }
    }

    // ---------------------------------------------------------------- building

    /**
     * Builds the leader's block. With nothing to include, it polls the mempool every few
     * milliseconds until {@code deadlineMs} and proposes as soon as something arrives (or an empty
     * block at the deadline), so an idle network does not spin and a busy one does not wait.
     */
    private void buildBlock(View view, Leaf parent, long deadlineMs) {
        if (core.currentView().value() > view.value()) {
            return;
        }
        Set<Bytes32> inFlight;
        List<Bytes32> ancestors;
        try {
            ancestors = pendingAncestorCommitments(parent);
            inFlight = inFlightTransactions(ancestors);
        } catch (BlockRejected e) {
            // Proposing without knowing what the ancestors carry could decide a transaction twice; the
            // missing block was requested, so try again shortly while the view lasts.
            LOG.info("node {}: not proposing in {} on {} yet: {}", me, view, parent.view(), e.getMessage());
            if (e.getMessage().startsWith(MISSING_ANCESTOR)) {
                offerLater(new NodeEvent.BuildNow(view, parent, deadlineMs), 20);
            }
            return;
        }
        List<PendingTx> txs = mempool.select(settings.maxBlockBytes(), inFlight);
        if (txs.isEmpty() && nowMs() < deadlineMs) {
            offerLater(new NodeEvent.BuildNow(view, parent, deadlineMs), BUILD_POLL_MS);
            return;
        }
        long ts = Math.max(System.currentTimeMillis(), parentTimestamp(parent));
        Blocks.Block b = blocks.build(parent.height().value() + 1, view.value(), parent.blockCommitment(), ts,
                commitments.rootFor(ancestors), txs);
        pendingBlocks.put(b);
        // DataAvailable follows from the DA certificate (DaGate), as on every replica.
        enqueueLocal(new Input.BlockBuilt(view, b.commitment()));
    }

    // ---------------------------------------------------------------- deciding

    private void onDecide(Effect.Decide d) {
        List<Leaf> leaves = d.leaves();
        for (int i = 0; i < leaves.size(); i++) {
            Leaf leaf = leaves.get(i);
            long h = leaf.height().value();
            if (h < commitments.size()) {
                continue;
            }
            Blocks.Block b = pendingBlocks.get(leaf.blockCommitment());
            if (h != commitments.size() || b == null) {
                LOG.info("node {}: decided height {} without its block (have {}); catching up", me, h, commitments.size() - 1);
                catchUp.request();
                return;
            }
            QuorumCertificate qc = justifies.get(leaf.commitment());
            byte[] proof = i == leaves.size() - 1
                    ? encodeProof(new NodeMessage.DecideProof(d.certifiedChild(), d.commitQc())) : null;
            persistDecided(leaf, b, qc, proof);
        }
    }

    byte[] encodeProof(NodeMessage.DecideProof proof) {
        WireWriter w = new WireWriter(256);
        NodeCodec.leaf(w, proof.certifiedChild());
        NodeCodec.qc(w, proof.commitQc());
        return w.toByteArray();
    }

    NodeMessage.DecideProof decodeProof(byte[] bytes) {
        WireReader r = new WireReader(bytes);
        NodeMessage.DecideProof p = new NodeMessage.DecideProof(NodeCodec.leaf(r), codec.qc(r));
        r.finish("decide proof");
        return p;
    }

    void persistDecided(Leaf leaf, Blocks.Block b, QuorumCertificate qc, byte[] proof) {
        long h = leaf.height().value();
        WireWriter leafBytes = new WireWriter(96);
        NodeCodec.leaf(leafBytes, leaf);
        byte[] qcBytes = new byte[0];
        if (qc != null) {
            WireWriter w = new WireWriter(160);
            NodeCodec.qc(w, qc);
            qcBytes = w.toByteArray();
        }
        byte[] stored = settings.keepPayloads() ? DataAvailability.payloadRecord(b.data().nsTable(), b.data().payload()) : null;
        byte[] share = settings.storeVidShares() ? DataAvailability.shareRecord(b.data().nsTable(), b.share(me)) : null;
        // txHashes follow the payload's order (namespaces in table order, each in block order).
        List<NodeStore.IndexedTx> index = new ArrayList<>(b.txHashes().size());
        int next = 0;
        for (var ns : b.payload().namespaces()) {
            int count = b.payload().transactions(ns).size();
            for (int i = 0; i < count; i++) {
                index.add(new NodeStore.IndexedTx(b.txHashes().get(next++).bytes(), ns.value(), i));
            }
        }
        store.putDecided(new dev.cortado.node.storage.DecidedBlock(h, leaf.view().value(), b.data().header(),
                leafBytes.toByteArray(), qcBytes, b.commitment().bytes()), stored, share, index, proof);
        commitments.append(b.commitment());
        lastDecided = leaf;
        lightClient.onDecided(h, leaf.view().value(), commitments.rootFor(List.of()));
        mempool.removeDecided(b.txHashes());
        metrics.decided(b, backend.takeSubmitTimes(b.txHashes()));
        pendingBlocks.decided(h);
        if (!settings.archival() && h % 64 == 0) {
            store.prune(settings.retainBlocks());
        }
        catchUp.decided();
        backend.notifyDecided();
    }

    // ---------------------------------------------------------------- safety encoding

    byte[] encodeSafety(SafetyState s) {
        WireWriter w = new WireWriter(200);
        w.i64(s.highestVotedView().value());
        NodeCodec.qc(w, s.lockedQc());
        return w.toByteArray();
    }

    SafetyState decodeSafety(byte[] bytes) {
        WireReader r = new WireReader(bytes);
        SafetyState s = new SafetyState(new View(r.u63("voted view")), codec.qc(r));
        r.finish("safety state");
        return s;
    }

    /**
     * Replaces a core whose anchor fell behind blocks that catch-up decided for this node; safety
     * (highest voted view, lock) comes from disk, so the new core never votes twice in a view.
     */
    void restartCore() {
        core = newCore();
        if (coreStarted) {
            apply(new Input.Start());
        }
    }

    /** Test hook: forgets every stored payload, so reads must fetch or rebuild them. */
    void wipePayloads() {
        store.deleteAllPayloads();
        backend.forgetParsed();
    }

    Gossip gossip() {
        return gossip;
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
        api.close();
        network.close();
        store.close();
    }
}
