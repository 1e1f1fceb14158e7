package dev.cortado.node.runtime;

import dev.cortado.node.cdn.Topic;
import dev.cortado.node.consensus.ConsensusConfig;
import dev.cortado.node.consensus.ConsensusCore;
import dev.cortado.node.consensus.ConsensusCrypto;
import dev.cortado.node.consensus.ConsensusSigner;
import dev.cortado.node.consensus.Effect;
import dev.cortado.node.consensus.Input;
import dev.cortado.node.consensus.Leaf;
import dev.cortado.node.consensus.QuorumCertificate;
import dev.cortado.node.consensus.SafetyState;
import dev.cortado.node.consensus.Verdict;
import dev.cortado.node.net.WireReader;
import dev.cortado.node.net.WireWriter;
import dev.cortado.node.storage.NodeStore;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.View;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the consensus core on the event thread: hands it inputs, carries out its effects in order
 * ({@link Effect.PersistSafety} is written before the vote that follows it leaves), and publishes its view.
 */
final class ConsensusDriver implements CoreLink, CatchUp.CoreAnchor, NodeApiBackend.ViewStatus {
    private static final Logger LOG = LoggerFactory.getLogger(ConsensusDriver.class);
    private static final int MAX_JUSTIFIES = 4096;

    private final NodeSettings settings;
    private final ConsensusConfig config;
    private final ConsensusSigner signer;
    private final ConsensusCrypto crypto;
    private final NodeStore store;
    private final SafetyWrites safetyWrites;
    private final PeerLink peers;
    private final DecidedChain chain;
    private final NodeMetrics metrics;
    private final NodeClock clock;
    private final BiConsumer<NodeEvent, Long> later;
    private final ArrayDeque<Input> local = new ArrayDeque<>();
    /** Justify QC of each proposal seen, by the leaf commitment it certifies (bounded, oldest out). */
    private final Map<Bytes32, QuorumCertificate> justifies = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes32, QuorumCertificate> eldest) {
            return size() > MAX_JUSTIFIES;
        }
    };
    private PipelineDriver blocks;
    private DaGate daGate;
    private Runnable catchUpRequest = () -> { };
    private ConsensusCore core;
    private boolean started;
    private volatile long viewNow;
    private volatile int leaderNow;

    ConsensusDriver(NodeSettings settings, ConsensusConfig config, ConsensusSigner signer, ConsensusCrypto crypto, NodeStore store,
            PeerLink peers, DecidedChain chain, NodeMetrics metrics, NodeClock clock, BiConsumer<NodeEvent, Long> later) {
        this.settings = settings;
        this.config = config;
        this.signer = signer;
        this.crypto = crypto;
        this.store = store;
        this.peers = peers;
        this.chain = chain;
        this.metrics = metrics;
        this.clock = clock;
        this.later = later;
        this.safetyWrites = new SafetyWrites(store::writeSafety, store.readSafety().orElse(null));
        this.core = newCore();
    }

    void connect(PipelineDriver blockDriver, DaGate gate, Runnable catchUp) {
        this.blocks = blockDriver;
        this.daGate = gate;
        this.catchUpRequest = catchUp;
    }

    private ConsensusCore newCore() {
        SafetyState safety = store.readSafety().map(s -> decodeSafety(s.coreState())).orElse(SafetyState.initial(settings.chainId()));
        return new ConsensusCore(config, signer, crypto, safety, chain.last());
    }

    /** Joins consensus, re-anchoring first if catch-up decided blocks while the node was starting. */
    void start() {
        if (core.lastDecided().height().value() < chain.last().height().value()) {
            core = newCore();
        }
        started = true;
        apply(new Input.Start());
    }

    @Override
    public boolean started() {
        return started;
    }

    @Override
    public boolean holds(Bytes32 leafCommitment) {
        return core.knownLeaf(leafCommitment) != null;
    }

    @Override
    public long anchorHeight() {
        return core.lastDecided().height().value();
    }

    /** Safety (highest voted view, lock) comes from disk, so the new core never votes twice in a view. */
    @Override
    public void restart() {
        core = newCore();
        if (started) {
            apply(new Input.Start());
        }
    }

    @Override
    public long view() {
        return viewNow;
    }

    @Override
    public int leader() {
        return leaderNow;
    }

    @Override
    public Leaf knownLeaf(Bytes32 leafCommitment) {
        return core.knownLeaf(leafCommitment);
    }

    @Override
    public long currentView() {
        return core.currentView().value();
    }

    @Override
    public long currentEpoch() {
        return core.epoch();
    }

    @Override
    public void noteJustify(QuorumCertificate qc) {
        justifies.put(qc.leafCommitment(), qc);
    }

    @Override
    public void enqueue(Input input) {
        local.add(input);
    }

    void drainLocal() {
        Input in;
        while ((in = local.poll()) != null) {
            apply(in);
        }
    }

    @Override
    public void apply(Input input) {
        for (Effect effect : core.handle(input, clock.monotonicMs())) {
            execute(effect);
        }
        viewNow = core.currentView().value();
        leaderNow = core.leaderOf(core.currentView());
        blocks.handle(new PipelineInput.ViewIs(viewNow));
        daGate.viewIs(viewNow);
        peers.network().viewIs(viewNow);
    }

    private void execute(Effect effect) {
        switch (effect) {
            case Effect.PersistSafety p -> {
                long startNanos = System.nanoTime();
                if (safetyWrites.persist(new dev.cortado.node.storage.SafetyState(p.state().highestVotedView().value(),
                        encodeSafety(p.state())))) {
                    StageMetrics.record(metrics.stages.safetyFsync, startNanos);
                }
            }
            case Effect.BroadcastProposal p when isSuffix(p.proposal()) -> {
                // A suffix leaf carries no block: nothing to disperse, every peer gets the bare proposal.
                peers.broadcast(Topic.ALL, new NodeMessage.SuffixProposalMsg(p.proposal()));
                metrics.proposals.increment();
            }
            case Effect.BroadcastProposal p -> {
                if (!(blocks.pipeline().block(p.proposal().leaf().blockCommitment()) instanceof KnownBlock.Full b)) {
                    LOG.error("node {}: no block data for own proposal in {}", peers.me, p.proposal().leaf().view());
                    return;
                }
                daGate.disperse(p.proposal(), b.block());
                metrics.proposals.increment();
            }
            case Effect.SendVote v -> {
                store.recordVote(new NodeStore.VoteRecord(v.vote().view().value(), NodeStore.VoteRecord.QUORUM,
                        v.vote().leafCommitment().bytes()));
                long arrivedNanos = blocks.proposalArrivedNanos(v.vote().view().value());
                if (arrivedNanos != 0) {
                    StageMetrics.record(metrics.stages.proposalToVote, arrivedNanos);
                }
                if (v.to() == peers.me) {
                    enqueue(new Input.VoteReceived(peers.me, v.vote()));
                } else {
                    peers.send(v.to(), new NodeMessage.VoteMsg(v.vote()));
                }
            }
            case Effect.BroadcastTimeoutVote t -> {
                store.recordVote(new NodeStore.VoteRecord(t.vote().view().value(), NodeStore.VoteRecord.TIMEOUT, new byte[32]));
                metrics.timeoutVotes.increment();
                peers.broadcast(Topic.ALL, new NodeMessage.TimeoutVoteMsg(t.vote()));
            }
            case Effect.ScheduleTimeout s -> later.accept(new NodeEvent.TimerFired(s.view()), Math.max(1, s.atMs() - clock.monotonicMs()));
            case Effect.BuildBlock b -> blocks.build(b.view(), b.parent(), clock.monotonicMs() + settings.emptyBlockDelayMs());
            case Effect.FetchLeaves f -> peers.send(f.peer(), new NodeMessage.FetchLeaves(f.commitment(), 64));
            case Effect.Decide d -> onDecide(d);
            case Effect.ReportEquivocation r -> {
                LOG.warn("node {}: equivocation by {} in {}", peers.me, r.evidence().offender(), r.evidence().view());
                metrics.equivocations.increment();
            }
            case Effect.BroadcastHandoverProof h -> {
                LOG.info("node {}: decided the handover of epoch {}, broadcasting its proof", peers.me, h.proof().epoch());
                peers.broadcast(Topic.ALL, new NodeMessage.HandoverProofMsg(h.proof()));
            }
            case Effect.SendHandoverProof h -> {
                if (h.to() != peers.me) {
                    peers.send(h.to(), new NodeMessage.HandoverProofMsg(h.proof()));
                }
            }
            case Effect.FetchHandoverProof h -> {
                if (h.peer() != peers.me) {
                    LOG.info("node {}: asking {} for the handover proof of epoch {}", peers.me, h.peer(), h.epoch());
                    peers.send(h.peer(), new NodeMessage.HandoverProofRequest(h.epoch()));
                }
            }
            case Effect.EnteredView v -> LOG.debug("node {} entered {} (leader {}): {}", peers.me, v.view(), v.leader(), v.reason());
            case Effect.LogVerdict v -> {
                if (v.verdict() instanceof Verdict.Reject r) {
                    LOG.info("node {}: rejected {} from {} in {}: {}", peers.me, v.input(), v.from(), v.view(), r.reason());
                    metrics.rejected.increment();
                } else if (v.verdict() instanceof Verdict.Ignore i) {
                    LOG.debug("node {}: ignored {} from {} in {}: {}", peers.me, v.input(), v.from(), v.view(), i.reason());
                }
            }
        }
    }

    private void onDecide(Effect.Decide d) {
        List<Leaf> leaves = d.leaves();
        for (int i = 0; i < leaves.size(); i++) {
            Leaf leaf = leaves.get(i);
            long h = leaf.height().value();
            if (h < chain.nextHeight()) {
                continue;
            }
            KnownBlock b = blocks.pipeline().block(leaf.blockCommitment());
            if (h != chain.nextHeight() || b == null) {
                LOG.info("node {}: decided height {} without its block (have {}); catching up", peers.me, h, chain.nextHeight() - 1);
                metrics.decidedWithoutBlock.increment();
                catchUpRequest.run();
                return;
            }
            byte[] proof = i == leaves.size() - 1 ? decideProof(leaf, d) : null;
            chain.persist(leaf, b, justifies.get(leaf.commitment()), proof, metrics.stages.decidePersist);
        }
    }

    /** A leaf proposed above its epoch's handover leaf, which carries no block (docs/architecture.md, "Suffix leaves"). */
    private boolean isSuffix(dev.cortado.node.consensus.Proposal p) {
        return p.leaf().blockCommitment().equals(Bytes32.ZERO) && config.epochs().isSuffix(p.epoch(), p.leaf().height());
    }

    /**
     * A peer's handover proof. The codec bounded its leaves; the sender is a known peer index (the transport
     * authenticated it). Everything else (epoch, shape, both QCs against the epoch's own table) is the core's.
     */
    void onHandoverProof(int from, NodeMessage.HandoverProofMsg m) {
        if (from == peers.me) {
            return;
        }
        apply(new Input.HandoverProofReceived(from, m.proof()));
    }

    /** A peer asks for the proof of an epoch's handover; the core rations its answers per peer and epoch. */
    void onHandoverProofRequest(int from, NodeMessage.HandoverProofRequest r) {
        if (from == peers.me) {
            return;
        }
        apply(new Input.HandoverProofRequested(from, r.epoch()));
    }

    /**
     * The stored proof that {@code last}, the last leaf of {@code d}, is decided. At a handover the two-chain may sit
     * above it, on suffix leaves the decision dropped; the core still holds them (they extend its new anchor).
     * Null, so no proof is stored and catch-up serves up to an earlier one, if they cannot all be found.
     */
    private byte[] decideProof(Leaf last, Effect.Decide d) {
        ArrayDeque<Leaf> suffix = new ArrayDeque<>();
        Bytes32 at = d.certifiedChild().parentCommitment();
        while (!at.equals(last.commitment())) {
            Leaf l = core.knownLeaf(at);
            if (l == null || suffix.size() >= NodeCodec.MAX_HANDOVER_LEAVES || l.height().value() <= last.height().value()) {
                LOG.warn("node {}: no decide proof stored at height {}: the two-chain above it does not lead back to it",
                        peers.me, last.height().value());
                return null;
            }
            suffix.addFirst(l);
            at = l.parentCommitment();
        }
        return chain.encodeProof(new NodeMessage.DecideProof(List.copyOf(suffix), d.certifiedChild(), d.commitQc()));
    }

    /** Answers a peer's leaf fetch from the core's undecided leaves, newest first. */
    void serveLeaves(int from, NodeMessage.FetchLeaves f) {
        List<Leaf> out = new ArrayList<>();
        Leaf l = core.knownLeaf(f.commitment());
        while (l != null && out.size() < Math.min(f.max(), 256)) {
            out.add(l);
            l = l.height().value() == 0 ? null : core.knownLeaf(l.parentCommitment());
        }
        if (!out.isEmpty()) {
            peers.send(from, new NodeMessage.LeavesReply(out));
        }
    }

    static byte[] encodeSafety(SafetyState s) {
        WireWriter w = new WireWriter(200);
        w.i64(s.highestVotedView().value());
        NodeCodec.qc(w, s.lockedQc());
        return w.toByteArray();
    }

    private SafetyState decodeSafety(byte[] bytes) {
        WireReader r = new WireReader(bytes);
        SafetyState s = new SafetyState(new View(r.u63("voted view")), peers.codec().qc(r));
        r.finish("safety state");
        return s;
    }
}
