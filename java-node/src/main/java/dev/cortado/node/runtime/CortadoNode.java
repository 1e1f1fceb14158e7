package dev.cortado.node.runtime;

import dev.cortado.node.api.HttpApiServer;
import dev.cortado.node.cdn.BrokerEndpoint;
import dev.cortado.node.cdn.NodeNetwork;
import dev.cortado.node.cdn.Topic;
import dev.cortado.node.config.PeerEntry;
import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.ConsensusCore;
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
  private final BlsConsensus crypto;
  private final ScheduledExecutorService timers;
  private final Gossip gossip;
  final CatchUp catchUp;
  private final HttpApiServer api;
  private final NodeApiBackend backend;
  private final ArrayDeque<Input> local = new ArrayDeque<>();
  /** Blocks built or received and checked, by header commitment, until decided. */
  final Map<Bytes32, Blocks.Block> pendingBlocks = new HashMap<>();
  /** Justify QC of each proposal seen, by the leaf commitment it certifies. */
  private final Map<Bytes32, QuorumCertificate> justifies = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Bytes32, QuorumCertificate> eldest) {
      return size() > MAX_JUSTIFIES;
    }
  };
  private final long startNanos = System.nanoTime();
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
    this.blocks = new Blocks(settings.chainId(), settings.table().size());
    this.commitments = new ChainCommitments(store.headerCommitments().stream().map(Bytes32::of).toList());
    this.metrics = new NodeMetrics(registry);
    this.events = new BoundedInbox<>(settings.inboxCapacity());
    this.consensusConfig = ConsensusConfig.defaults(settings.chainId(), new StakeWeights(stakes))
        .withTimeouts(settings.baseTimeoutMs(), settings.maxTimeoutMs());
    this.crypto = new BlsConsensus(tableKeys, settings.keys(), me);

    TransportSettings base = TransportSettings.defaults(TransportSettings.chainIdWord(settings.chainId()));
    TransportSettings ts = new TransportSettings(base.chainId(), settings.maxFrameBytes(), base.handshakeTimeoutMs(),
        base.writeHighWaterBytes(), base.maxPendingWriteBytes(), base.keepAliveMs(), base.silentPeerMs());
    Transport transport = new Transport(ts, new BlsPeerCrypto(settings.keys()), registry, 2);
    List<BrokerEndpoint> brokers = settings.brokers().stream()
        .map(b -> new BrokerEndpoint(b.publicKey(), resolve(b.address()))).toList();
    InboundSink sink = InboundSink.into(events, NodeEvent.Net::new);
    this.network = new NodeNetwork(transport, Set.copyOf(keys), da, brokers, settings.useBrokers(), sink, registry);

    this.lastDecided = loadLastDecided();
    this.core = newCore();
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "node-" + me + "-timers"));
    this.gossip = new Gossip(network, codec, settings.maxBlockBytes());
    this.catchUp = new CatchUp(this);
    this.backend = new NodeApiBackend(this);
    this.api = new HttpApiServer(backend, registry, settings.maxRequestBytes(), 1);
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
    return new ConsensusCore(consensusConfig, crypto, crypto, safety, lastDecided);
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
      case NodeEvent.BuildNow b -> buildBlock(b.view(), b.parent(), true);
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
        network.broadcast(Topic.ALL, codec.encode(new NodeMessage.ProposalMsg(p.proposal(), b.data())));
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
      case Effect.BuildBlock b -> buildBlock(b.view(), b.parent(), false);
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
      case NodeMessage.TxBatch b -> {
        long now = System.nanoTime();
        for (NodeMessage.Tx tx : b.txs()) {
          mempool.submit(tx.namespace(), tx.payload(), now);
        }
      }
      case NodeMessage.FetchLeaves f -> serveLeaves(from, f);
      case NodeMessage.LeavesReply l -> apply(new Input.LeavesReceived(from, l.leaves()));
      case NodeMessage.BlocksRequest r -> catchUp.serve(from, r);
      case NodeMessage.BlocksReply r -> catchUp.onReply(from, r);
    }
  }

  private void onProposal(int from, NodeMessage.ProposalMsg msg) {
    Proposal p = msg.proposal();
    justifies.put(p.justifyQc().leafCommitment(), p.justifyQc());
    Blocks.Block block = null;
    try {
      block = blocks.check(msg.block(), p.leaf());
      // Known even if we will not vote for it: its transactions count as in flight if it is built on.
      pendingBlocks.put(block.commitment(), block);
      checkContext(block, p.leaf());
    } catch (BlockRejected e) {
      LOG.info("node {}: not voting for the block of {} from {}: {}", me, p.leaf().view(), from, e.getMessage());
      metrics.blocksRejected.increment();
      block = null;
    }
    apply(new Input.ProposalReceived(from, p));
    if (block != null) {
      apply(new Input.DataAvailable(p.leaf().view(), block.commitment()));
    }
    if (p.leaf().height().value() > commitments.size() + 2) {
      catchUp.request();
    }
  }

  /** The block must extend its parent's header and commit to every header before it. */
  private void checkContext(Blocks.Block block, Leaf leaf) throws BlockRejected {
    Leaf parent = core.knownLeaf(leaf.parentCommitment());
    if (parent == null) {
      throw new BlockRejected("parent leaf unknown");
    }
    if (!block.header().parent().equals(parent.blockCommitment())) {
      throw new BlockRejected("header parent " + block.header().parent() + " is not the parent's block " + parent.blockCommitment());
    }
    long parentTs = parentTimestamp(parent);
    long ts = block.header().timestampMs();
    if (ts < parentTs || ts > System.currentTimeMillis() + 5_000) {
      throw new BlockRejected("timestamp " + ts + " before the parent's " + parentTs + " or too far ahead");
    }
    List<Bytes32> ancestors = pendingAncestorCommitments(parent);
    Bytes32 expected = commitments.rootFor(ancestors);
    if (!block.header().blockCommRoot().equals(expected)) {
      throw new BlockRejected("blockCommRoot " + block.header().blockCommRoot() + ", expected " + expected);
    }
    // Exactly once: nothing already decided or carried by an undecided ancestor, and no repeats.
    Set<Bytes32> inFlight = inFlightTransactions(ancestors);
    Set<Bytes32> inBlock = new HashSet<>();
    for (Bytes32 h : block.txHashes()) {
      if (!inBlock.add(h) || inFlight.contains(h) || store.txLocation(h.bytes()).isPresent()) {
        throw new BlockRejected("transaction " + h + " is repeated, in flight or already decided");
      }
    }
  }

  /** Hashes carried by the given undecided ancestors; fails if one of their blocks is unknown here. */
  private Set<Bytes32> inFlightTransactions(List<Bytes32> ancestors) throws BlockRejected {
    Set<Bytes32> inFlight = new HashSet<>();
    for (Bytes32 c : ancestors) {
      Blocks.Block b = pendingBlocks.get(c);
      if (b == null) {
        throw new BlockRejected("the block of an undecided ancestor is unknown here");
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
      l = core.knownLeaf(l.parentCommitment());
      if (l == null) {
        throw new BlockRejected("an undecided ancestor is unknown");
      }
    }
    if (l.height().value() != commitments.size() - 1 || !l.blockCommitment().equals(commitments.at(l.height().value()))) {
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

  private void buildBlock(View view, Leaf parent, boolean delayed) {
    if (core.currentView().value() > view.value()) {
      return;
    }
    Set<Bytes32> inFlight;
    List<Bytes32> ancestors;
    try {
      ancestors = pendingAncestorCommitments(parent);
      inFlight = inFlightTransactions(ancestors);
    } catch (BlockRejected e) {
      // Proposing without knowing what the ancestors carry could decide a transaction twice.
      LOG.warn("node {}: not proposing in {} on {}: {}", me, view, parent.view(), e.getMessage());
      return;
    }
    List<PendingTx> txs = mempool.select(settings.maxBlockBytes(), inFlight);
    if (txs.isEmpty() && !delayed && settings.emptyBlockDelayMs() > 0) {
      offerLater(new NodeEvent.BuildNow(view, parent), settings.emptyBlockDelayMs());
      return;
    }
    long ts = Math.max(System.currentTimeMillis(), parentTimestamp(parent));
    Blocks.Block b = blocks.build(parent.height().value() + 1, view.value(), parent.blockCommitment(), ts,
        commitments.rootFor(ancestors), txs);
    pendingBlocks.put(b.commitment(), b);
    enqueueLocal(new Input.BlockBuilt(view, b.commitment()));
    enqueueLocal(new Input.DataAvailable(view, b.commitment()));
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
    byte[] stored = new WireWriter(b.data().nsTable().length + b.data().payload().length + 8)
        .bytes(b.data().nsTable()).bytes(b.data().payload()).toByteArray();
    byte[] share = settings.storeVidShares() ? blocks.vid().disperse(b.data().payload()).shares().get(me).data() : null;
    List<NodeStore.IndexedTx> index = new ArrayList<>();
    for (var ns : b.payload().namespaces()) {
      var txs = b.payload().transactions(ns);
      for (int i = 0; i < txs.size(); i++) {
        index.add(new NodeStore.IndexedTx(txs.get(i).hash().bytes(), ns.value(), i));
      }
    }
    store.putDecided(new dev.cortado.node.storage.DecidedBlock(h, leaf.view().value(), b.data().header(),
        leafBytes.toByteArray(), qcBytes, b.commitment().bytes()), stored, share, index, proof);
    commitments.append(b.commitment());
    lastDecided = leaf;
    mempool.removeDecided(b.txHashes());
    metrics.decided(b, backend.takeSubmitTimes(b.txHashes()));
    pendingBlocks.values().removeIf(p -> p.header().height().value() <= h);
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
   * Replaces a core that fell too far behind to bridge the gap by fetching leaves; safety comes
   * from disk. Not done for small gaps: the running core catches up by itself.
   */
  void restartCore() {
    core = newCore();
    if (coreStarted) {
      apply(new Input.Start());
    }
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
